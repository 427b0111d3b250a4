/**
 * Picks the most confident mistakes of each class from a run's predictions.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { PredictionRecord } from "../experiment/read_predictions.ts";

/** The mistakes of one true class. */
export interface MisclassifiedGroup {
  trueClass: string;
  /** Images of this class in the split. */
  total: number;
  /** How many of them were predicted as another class. */
  wrong: number;
  /** The most confident mistakes, at most `perClass`. */
  examples: PredictionRecord[];
}

/** Options of {@linkcode selectMisclassified}. */
export interface SelectMisclassifiedOptions {
  /** Split to read. @default "test" */
  split?: string;
  /** Examples per class. @default 8 */
  perClass?: number;
}

/**
 * Groups one split's wrong predictions by true class, in `classes` order;
 * within a class the examples are sorted by the probability given to the
 * wrong class, highest first (ties by path), so the grid shows what the model
 * was surest about and got wrong.
 *
 * @param predictions Records from `readPredictions`.
 * @param classes Class names in label order.
 * @param options See {@linkcode SelectMisclassifiedOptions}.
 * @returns One group per class (also for classes with no mistake).
 * @throws {ConfigError} When `perClass` is not a whole number >= 1.
 * @example
 * ```ts
 * const groups = selectMisclassified([
 *   { path: "test/sad/1.png", split: "test", trueClass: "sad", predictedClass: "happy", probabilities: { happy: 0.7, sad: 0.3 } },
 * ], ["happy", "sad"]);
 * console.assert(groups[1].wrong === 1 && groups[0].wrong === 0);
 * ```
 */
export function selectMisclassified(
  predictions: readonly PredictionRecord[],
  classes: readonly string[],
  options: SelectMisclassifiedOptions = {},
): MisclassifiedGroup[] {
  const split = options.split ?? "test";
  const perClass = options.perClass ?? 8;
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new ConfigError(`Misclassified perClass ${perClass} is not a whole number >= 1; use e.g. 8`);
  }
  const inSplit = predictions.filter((p) => p.split === split);
  return classes.map((trueClass) => {
    const ofClass = inSplit.filter((p) => p.trueClass === trueClass);
    const wrong = ofClass
      .filter((p) => p.predictedClass !== trueClass)
      .sort((a, b) => (b.probabilities[b.predictedClass] ?? 0) - (a.probabilities[a.predictedClass] ?? 0) || a.path.localeCompare(b.path));
    return { trueClass, total: ofClass.length, wrong: wrong.length, examples: wrong.slice(0, perClass) };
  });
}
