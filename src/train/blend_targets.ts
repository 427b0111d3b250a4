/**
 * Training targets that blend each sample's one-hot label with a fixed
 * probability row per sample (a teacher's, for knowledge distillation).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BatchSource } from "./batch_source.ts";

/**
 * Wraps `source` so its training batches carry `(1 - weight) * label +
 * weight * rows[i]` as targets. Evaluation batches (`training: false`) keep
 * the plain labels, so validation loss and accuracy measure against the truth.
 * The loss's label smoothing, class weights and mixup then act on the blended
 * targets as they do on labels.
 *
 * @param source The training samples.
 * @param rows One probability row per sample, `source.count * source.numClasses` values in sample order.
 * @param weight The rows' share of the target, in (0, 1].
 * @returns The wrapped source.
 * @throws {RangeError} When `rows` does not hold one row per sample, or `weight` is outside (0, 1].
 * @example
 * ```ts
 * const train = blendTargets(imageBatchSource(set, options), teacherRows, 0.5);
 * ```
 */
export function blendTargets(source: BatchSource, rows: Float32Array, weight: number): BatchSource {
  const k = source.numClasses;
  if (rows.length !== source.count * k) {
    throw new RangeError(`blendTargets needs ${source.count} rows of ${k} probabilities (${source.count * k} values), got ${rows.length}`);
  }
  if (!(weight > 0 && weight <= 1)) throw new RangeError(`blendTargets: weight must be in (0, 1], got ${weight}`);
  return {
    count: source.count,
    labels: source.labels,
    numClasses: k,
    batch(indices, options) {
      const { x, y } = source.batch(indices, options);
      if (!options.training) return { x, y };
      const picked = new Float32Array(indices.length * k);
      indices.forEach((sample, i) => picked.set(rows.subarray(sample * k, (sample + 1) * k), i * k));
      const blended = tf.tidy(() => y.mul(1 - weight).add(tf.tensor2d(picked, [indices.length, k]).mul(weight))) as tf.Tensor2D;
      y.dispose();
      return { x, y: blended };
    },
  };
}
