/**
 * `inputCrop`: a model's first layer cuts pixels from each border of its input,
 * so the net sees the centre of each image (40x40 of a 48x48 face for 4). The
 * model still takes whole images, so every path that feeds it (training,
 * `fer eval`, video, robustness, ensembles) is unchanged; with shift
 * augmentation it is random-crop training, and TTA shifts give the corner crops.
 * `checkModelOptions` checks the crop.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { SymbolicTensor } from "@tensorflow/tfjs";
import type { BaseModelOptions } from "./base_model_options.ts";

/**
 * The layer that cuts `options.inputCrop` pixels from each border, set up as a
 * sequential model's first layer (it carries the input shape), or null for no crop.
 * It takes no seed, so a cropped net starts from the weights of the same net built for the cropped size.
 *
 * @param options The builder's options.
 * @returns A Cropping2D layer, or null when `inputCrop` is 0 or absent.
 * @example
 * ```ts
 * const model = tf.sequential();
 * const crop = inputCropLayer({ inputShape: [48, 48, 1], numClasses: 4, seed: 0, inputCrop: 4 });
 * if (crop) model.add(crop); // the next layer sees [40, 40, 1]
 * ```
 */
export function inputCropLayer(options: BaseModelOptions): tf.layers.Layer | null {
  const crop = options.inputCrop ?? 0;
  if (crop === 0) return null;
  return tf.layers.cropping2D({ cropping: [[crop, crop], [crop, crop]], inputShape: options.inputShape });
}

/**
 * A functional model's input, cropped as {@linkcode inputCropLayer} says (or as it is).
 *
 * @param input The model's `tf.input`.
 * @param options The builder's options.
 * @returns The tensor the first layer reads.
 * @example
 * ```ts
 * const input = tf.input({ shape: [48, 48, 1] });
 * const x = croppedInput(input, { inputShape: [48, 48, 1], numClasses: 4, seed: 0, inputCrop: 4 }); // [null, 40, 40, 1]
 * ```
 */
export function croppedInput(input: SymbolicTensor, options: BaseModelOptions): SymbolicTensor {
  const crop = inputCropLayer(options);
  return crop === null ? input : crop.apply(input) as SymbolicTensor;
}
