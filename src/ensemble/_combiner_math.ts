/**
 * The numerics the combiners share: a softmax, the log-loss of one row of
 * scores, the floor under the probabilities whose logarithms they take, and
 * the check of the labels they are fitted on.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** Smallest probability whose logarithm stacking and the log-linear pool use (log 1e-6 ≈ -13.8). */
export const LOG_FLOOR = 1e-6;

/**
 * `exp(v) / sum(exp(v))`, computed after subtracting the largest value so
 * that no term overflows.
 *
 * @param values Scores (logits), any length above 0.
 * @returns Probabilities of the same length, summing to 1.
 * @example
 * ```ts
 * console.assert(softmax([0, 0]).join() === "0.5,0.5" && softmax([1000, 0])[0] === 1);
 * ```
 */
export function softmax(values: ArrayLike<number>): number[] {
  const scores = Array.from(values);
  const top = Math.max(...scores);
  const exps = scores.map((v) => Math.exp(v - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / total);
}

/**
 * `-log softmax(scores)[label]`, computed as log-sum-exp minus the label's
 * score after subtracting the largest score (no overflow, no log 0).
 *
 * @param scores Scores (logits) of every class.
 * @param label The true class index.
 * @returns The log-loss of that row.
 * @example
 * ```ts
 * console.assert(Math.abs(crossEntropy([0, 0], 1) - Math.LN2) < 1e-15);
 * ```
 */
export function crossEntropy(scores: readonly number[], label: number): number {
  const top = Math.max(...scores);
  return top + Math.log(scores.reduce((s, v) => s + Math.exp(v - top), 0)) - scores[label];
}

/**
 * Checks that every label is a class index a combiner can be fitted on.
 *
 * @param labels True class per image.
 * @param classes Number of classes.
 * @throws {ConfigError} Naming the first label that is not a whole number in [0, classes).
 * @example
 * ```ts
 * checkClassLabels([0, 1, 1], 2);
 * ```
 */
export function checkClassLabels(labels: ArrayLike<number>, classes: number): void {
  const bad = Array.from(labels).findIndex((y) => !Number.isInteger(y) || y < 0 || y >= classes);
  if (bad >= 0) throw new ConfigError(`Label ${labels[bad]} at index ${bad} is not a class index in [0, ${classes})`);
}
