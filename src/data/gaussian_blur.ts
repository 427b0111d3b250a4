/**
 * Gaussian blur of an image batch on the active backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/**
 * The normalised 1-D Gaussian kernel of radius ceil(3 sigma).
 *
 * @param sigma Standard deviation in pixels (> 0).
 * @returns Weights that sum to 1, length 2 * radius + 1.
 * @example
 * ```ts
 * const k = gaussianKernel(1);
 * console.assert(k.length === 7 && Math.abs(k.reduce((a, b) => a + b) - 1) < 1e-12);
 * ```
 */
export function gaussianKernel(sigma: number): number[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

/**
 * Blurs every image of `x` with a separable Gaussian, reflecting at the
 * borders (so a constant image stays constant and edges do not darken).
 *
 * Used to evaluate a model trained on a blurred split on inputs blurred to
 * match (see `dataset.evalBlurSigma`).
 *
 * @param x `[n, h, w, c]` images.
 * @param sigma Standard deviation in pixels; 0 returns a copy.
 * @returns The blurred batch, same shape.
 * @example
 * ```ts
 * const blurred = gaussianBlur(tf.ones([1, 8, 8, 1]) as tf.Tensor4D, 2);
 * // every value is still 1
 * ```
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (sigma <= 0) return x.clone();
  return tf.tidy(() => {
    const kernel = gaussianKernel(sigma);
    const radius = (kernel.length - 1) / 2;
    const [, height, width, channels] = x.shape;
    // Reflection needs the pad to be smaller than the side; clamp for tiny images.
    const padY = Math.min(radius, height - 1), padX = Math.min(radius, width - 1);
    const trim = (pad: number) => normalise(kernel.slice(radius - pad, radius + pad + 1));
    const ky = trim(padY), kx = trim(padX);
    const padded = tf.mirrorPad(x, [[0, 0], [padY, padY], [padX, padX], [0, 0]], "reflect");
    const vertical = tf.tile(tf.tensor4d(ky, [ky.length, 1, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const horizontal = tf.tile(tf.tensor4d(kx, [1, kx.length, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, vertical, 1, "valid"), horizontal, 1, "valid");
  });
}

function normalise(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
