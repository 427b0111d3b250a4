/**
 * Seeded, per-image data augmentation of a batch tensor, on the active backend.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/seed.ts";
import { applyTransformParams } from "./_augment_apply.ts";
import { drawTransformParams } from "./_augment_draw.ts";
import { type AugmentationConfig, resolveAugmentation } from "./augmentation_config.ts";

export { type ApplyOptions, applyTransformParams, type ErasingRect, type TransformParams } from "./_augment_apply.ts";

/**
 * Augments a batch: draws each image's parameters from `rng`, then applies
 * them with {@linkcode applyTransformParams} (flip, one projective transform
 * for rotation, shift and zoom, contrast and brightness, erasing). The same
 * input, config and generator state give a bit-identical batch.
 *
 * @param x Images `[n, height, width, channels]`, after preprocessing; not disposed.
 * @param config See {@linkcode AugmentationConfig}.
 * @param rng The generator; it advances.
 * @returns A new float32 tensor of the same shape (the caller disposes it).
 * @throws {ConfigError} For a config outside its ranges.
 * @example
 * ```ts
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const y = augmentBatch(x, { rotationDegrees: 10, horizontalFlip: true }, makeRng(0));
 * console.assert(y.shape.join() === "1,2,2,1");
 * ```
 */
export function augmentBatch(x: tf.Tensor4D, config: AugmentationConfig, rng: Rng): tf.Tensor4D {
  const resolved = resolveAugmentation(config);
  const [count, height, width] = x.shape;
  const params = drawTransformParams(resolved, { count, height, width }, rng);
  return applyTransformParams(x, params, { interpolation: resolved.interpolation, valueRange: resolved.valueRange });
}
