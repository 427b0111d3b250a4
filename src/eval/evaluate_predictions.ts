/**
 * Everything the run folder's metrics.json holds for one split.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { argMax } from "./arg_max.ts";
import { expectedCalibrationError } from "./calibration_error.ts";
import { type ClassScores, classificationMetrics, macroF1 } from "./classification_metrics.ts";
import { bootstrapInterval, type Interval, wilsonInterval } from "./confidence_interval.ts";
import { normalizeRows } from "./confusion_matrix.ts";

/** Metrics of one split (validation or test). */
export interface SplitMetrics {
  /** Number of samples evaluated. */
  count: number;
  accuracy: number;
  /** Wilson 95% interval of accuracy. */
  accuracyInterval: Interval;
  macroF1: number;
  /** Percentile-bootstrap 95% interval of macro-F1. */
  macroF1Interval: Interval;
  perClass: Record<string, ClassScores>;
  /** Counts, `confusion[true][predicted]`, classes in label order. */
  confusion: number[][];
  /** Row-normalised confusion (each true class sums to 1). */
  confusionNormalized: number[][];
  /** Expected calibration error, 15 equal-width bins. */
  expectedCalibrationError: number;
  /** How many samples were predicted as each class, in label order. */
  predictedCounts: number[];
  /**
   * True when every sample was predicted as the same class: the signature of
   * a broken input pipeline (e.g. a backbone fed the wrong preprocessing).
   */
  collapsedToOneClass: boolean;
  /**
   * The same split without the samples that leak from train (an exact or near
   * copy there); null when no leakage flags were given.
   */
  leakFree: LeakFreeMetrics | null;
}

/** Accuracy and macro-F1 on the samples of a split with no copy in train. */
export interface LeakFreeMetrics {
  /** Samples kept. */
  count: number;
  /** Samples left out because they leak from train. */
  excluded: number;
  accuracy: number;
  /** Wilson 95% interval of accuracy. */
  accuracyInterval: Interval;
  macroF1: number;
}

/** Options for {@linkcode evaluatePredictions}. */
export interface EvaluateOptions {
  /** Bootstrap resamples for the macro-F1 interval. @default 1000 */
  resamples?: number;
  /** Confidence bins for calibration error. @default 15 */
  calibrationBins?: number;
  /** One flag per sample, true when it has a copy in train: adds {@linkcode SplitMetrics.leakFree}. */
  leaked?: ArrayLike<boolean>;
}

/**
 * Turns class probabilities and true labels into {@linkcode SplitMetrics}.
 *
 * The predicted class is the arg-max of each probability row (ties go to the
 * lower index). With `options.leaked`, accuracy and macro-F1 are also
 * computed on the samples not flagged (no random draws: the other figures do
 * not change).
 *
 * @param probabilities One row of class probabilities per sample.
 * @param yTrue True class indices.
 * @param context Class names in label order, and the generator for the bootstrap.
 * @param options See {@linkcode EvaluateOptions}.
 * @returns The split's metrics.
 * @example
 * ```ts
 * const m = evaluatePredictions([[0.9, 0.1], [0.2, 0.8]], [0, 1], { labels: ["a", "b"], rng: makeRng(0) });
 * console.assert(m.accuracy === 1 && !m.collapsedToOneClass);
 * ```
 */
export function evaluatePredictions(
  probabilities: readonly ArrayLike<number>[],
  yTrue: ArrayLike<number>,
  context: { labels: readonly string[]; rng: Rng },
  options: EvaluateOptions = {},
): SplitMetrics {
  const { labels, rng } = context;
  const yPred = probabilities.map(argMax);
  const metrics = classificationMetrics(yTrue, yPred, labels);
  const correct = yPred.reduce((n, p, i) => n + (p === yTrue[i] ? 1 : 0), 0);
  const predictedCounts = labels.map((_, c) => yPred.filter((p) => p === c).length);
  const macroF1Interval = bootstrapInterval(
    yPred.length,
    (indices) => macroF1(indices.map((i) => yTrue[i]), indices.map((i) => yPred[i]), labels.length),
    rng,
    { resamples: options.resamples ?? 1000 },
  );
  return {
    count: yPred.length,
    accuracy: metrics.accuracy,
    accuracyInterval: wilsonInterval(correct, yPred.length),
    macroF1: metrics.macroF1,
    macroF1Interval,
    perClass: metrics.perClass,
    confusion: metrics.confusion,
    confusionNormalized: normalizeRows(metrics.confusion),
    expectedCalibrationError: expectedCalibrationError(probabilities, yTrue, { bins: options.calibrationBins ?? 15 }),
    predictedCounts,
    collapsedToOneClass: yPred.length > 1 && predictedCounts.some((n) => n === yPred.length),
    leakFree: options.leaked === undefined ? null : leakFreeMetrics(yTrue, yPred, options.leaked, labels.length),
  };
}

function leakFreeMetrics(
  yTrue: ArrayLike<number>,
  yPred: readonly number[],
  leaked: ArrayLike<boolean>,
  numClasses: number,
): LeakFreeMetrics {
  if (leaked.length !== yPred.length) {
    throw new RangeError(`Leakage flags cover ${leaked.length} samples, predictions ${yPred.length}; pass one flag per sample`);
  }
  const kept = yPred.flatMap((_, i) => leaked[i] ? [] : [i]);
  const keptTrue = kept.map((i) => yTrue[i]);
  const keptPred = kept.map((i) => yPred[i]);
  const correct = kept.reduce((n, i) => n + (yPred[i] === yTrue[i] ? 1 : 0), 0);
  return {
    count: kept.length,
    excluded: yPred.length - kept.length,
    accuracy: kept.length === 0 ? 0 : correct / kept.length,
    accuracyInterval: wilsonInterval(correct, kept.length),
    macroF1: kept.length === 0 ? 0 : macroF1(keptTrue, keptPred, numClasses),
  };
}

