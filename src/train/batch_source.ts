/**
 * The narrow contract between data and the training loop.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/seed.ts";

/** A set of labelled samples the loop can batch. */
export interface BatchSource {
  /** Number of samples. */
  readonly count: number;
  /** Class index of every sample. */
  readonly labels: ArrayLike<number>;
  /** Number of classes (width of the one-hot targets). */
  readonly numClasses: number;
  /**
   * Inputs and one-hot targets for the given sample indices. With
   * `training: true` the source applies its augmentation, drawing from `rng`.
   * The caller owns (and disposes) the returned tensors.
   */
  batch(indices: readonly number[], options: { training: boolean; rng: Rng }): { x: tf.Tensor4D; y: tf.Tensor2D };
}

/**
 * A source over some of another's samples, in the order given (indices into it): what timing a few batches
 * reads (`fer run --estimate`).
 *
 * @param source The whole source.
 * @param indices Which of its samples, in order.
 * @returns A source of `indices.length` samples.
 * @example
 * ```ts
 * const firstHundred = subsetSource(source, Array.from({ length: 100 }, (_, i) => i));
 * ```
 */
export function subsetSource(source: BatchSource, indices: readonly number[]): BatchSource {
  return {
    count: indices.length,
    labels: indices.map((i) => source.labels[i]),
    numClasses: source.numClasses,
    batch: (picked, options) => source.batch(picked.map((i) => indices[i]), options),
  };
}
