/**
 * Expected calibration error (ECE) of predicted probabilities.
 *
 * @module
 */
import { argMax } from "./arg_max.ts";

/** Options for {@linkcode expectedCalibrationError}. */
export interface CalibrationOptions {
  /** Number of equal-width confidence bins over [0, 1]. @default 15 */
  bins?: number;
}

/**
 * ECE with equal-width bins on the top-class confidence (Guo et al. 2017):
 * the support-weighted mean of |accuracy - mean confidence| over bins.
 *
 * @param probabilities One probability row per sample.
 * @param yTrue True class indices.
 * @param options See {@linkcode CalibrationOptions}.
 * @returns ECE in [0, 1]; 0 for no samples.
 * @example
 * ```ts
 * // Two samples, both predicted with confidence 0.8, one right: |0.5 - 0.8| = 0.3.
 * const ece = expectedCalibrationError([[0.8, 0.2], [0.8, 0.2]], [0, 1]);
 * console.assert(Math.abs(ece - 0.3) < 1e-12);
 * ```
 */
export function expectedCalibrationError(
  probabilities: readonly ArrayLike<number>[],
  yTrue: ArrayLike<number>,
  options: CalibrationOptions = {},
): number {
  const bins = options.bins ?? 15;
  const count = new Float64Array(bins), correct = new Float64Array(bins), confidence = new Float64Array(bins);
  probabilities.forEach((row, i) => {
    const best = argMax(row);
    const bin = Math.min(bins - 1, Math.floor(row[best] * bins));
    count[bin]++;
    confidence[bin] += row[best];
    if (best === yTrue[i]) correct[bin]++;
  });
  const total = probabilities.length;
  if (total === 0) return 0;
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b] > 0) ece += (count[b] / total) * Math.abs(correct[b] / count[b] - confidence[b] / count[b]);
  }
  return ece;
}
