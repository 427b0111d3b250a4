/**
 * The numerics the combiners share: a softmax, and the floor under the
 * probabilities whose logarithms they take.
 *
 * @module
 */

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
