/**
 * Accuracy, per-class precision/recall/F1/support and macro-F1.
 *
 * @module
 */
import { confusionMatrix } from "./confusion_matrix.ts";

/** Scores of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true samples of the class. */
  support: number;
}

/** What {@linkcode classificationMetrics} returns. */
export interface ClassificationMetrics {
  accuracy: number;
  macroF1: number;
  /** Scores per class name, in label order. */
  perClass: Record<string, ClassScores>;
  /** Counts, `confusion[true][predicted]`. */
  confusion: number[][];
}

/**
 * Computes the standard multi-class scores.
 *
 * A class with no predictions has precision 0; with no true samples, recall 0;
 * F1 is 0 when precision + recall is 0 (the convention of scikit-learn's
 * `zero_division=0`). Macro-F1 averages F1 over all classes in `labels`.
 *
 * @param yTrue True class indices.
 * @param yPred Predicted class indices.
 * @param labels Class names; index i names class i.
 * @returns The metrics.
 * @example
 * ```ts
 * const m = classificationMetrics([0, 0, 1, 1], [0, 1, 1, 1], ["a", "b"]);
 * console.assert(m.accuracy === 0.75 && m.perClass.b.precision === 2 / 3);
 * ```
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: readonly string[],
): ClassificationMetrics {
  const confusion = confusionMatrix(yTrue, yPred, labels.length);
  const perClass: Record<string, ClassScores> = {};
  let correct = 0, f1Sum = 0;
  labels.forEach((name, c) => {
    const truePositives = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[c], 0);
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[name] = { precision, recall, f1, support };
    correct += truePositives;
    f1Sum += f1;
  });
  return {
    accuracy: yTrue.length === 0 ? 0 : correct / yTrue.length,
    macroF1: labels.length === 0 ? 0 : f1Sum / labels.length,
    perClass,
    confusion,
  };
}

/**
 * Macro-F1 alone, for resampling loops that need nothing else.
 *
 * @param yTrue True class indices.
 * @param yPred Predicted class indices.
 * @param numClasses Number of classes.
 * @returns Mean of per-class F1.
 * @example
 * ```ts
 * console.assert(macroF1([0, 1], [0, 1], 2) === 1);
 * ```
 */
export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number {
  const confusion = confusionMatrix(yTrue, yPred, numClasses);
  let sum = 0;
  for (let c = 0; c < numClasses; c++) {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((s, row) => s + row[c], 0);
    const denominator = support + predicted;
    sum += denominator === 0 ? 0 : (2 * tp) / denominator;
  }
  return numClasses === 0 ? 0 : sum / numClasses;
}
