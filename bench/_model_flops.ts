/**
 * Floating-point operations of one training image through a model's
 * convolutions and dense layers (2 per multiply-add), for the training-speed
 * bound in train_speed.ts. Each such layer costs its forward product, the
 * weight gradient (as much again) and the input gradient (as much again),
 * except the first, whose input needs no gradient. Everything else (batch
 * norm, pooling, activations) is left out, so the bound is optimistic.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/**
 * FLOPs of one image through a training step's convolutions and dense layers.
 *
 * @param model A built tfjs layers model.
 * @returns FLOPs per image of one training step (forward and backward).
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 2 })] });
 * console.assert(trainingFlopsPerImage(model) === 2 * 2 * 10 * 2); // forward + weight gradient
 * ```
 */
export function trainingFlopsPerImage(model: tf.LayersModel): number {
  let flops = 0;
  let first = true;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className !== "Conv2D" && className !== "Dense") continue;
    const kernel = layer.getWeights()[0].shape;
    const outputShape = layer.outputShape as number[];
    // Conv2D: one multiply-add per kernel entry per output pixel; Dense: per kernel entry.
    const pixels = className === "Conv2D" ? outputShape[1] * outputShape[2] : 1;
    const forward = 2 * pixels * kernel.reduce((a, b) => a * b, 1);
    flops += forward * (first ? 2 : 3);
    first = false;
  }
  return flops;
}
