/**
 * Adapts a decoded image set to the training loop's {@linkcode BatchSource}.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { augmentBatch } from "../data/augment.ts";
import { isAugmentationOff } from "../data/augmentation_config.ts";
import { gaussianBlur } from "../data/gaussian_blur.ts";
import type { ImageSet } from "../data/image_set.ts";
import { oneHotLabels, type Preprocessing, toBatchTensor } from "../data/to_tensor.ts";
import type { BatchSource } from "./batch_source.ts";
import type { AugmentationConfig } from "../data/augmentation_config.ts";

/**
 * Makes a batch source over `set`.
 *
 * Augmentation runs on the active backend after preprocessing, only for
 * training batches, drawing its parameters from the loop's generator.
 * `blurSigma` blurs every batch (for validation and test sources; see
 * `dataset.evalBlurSigma`).
 *
 * @param set Decoded images and labels.
 * @param options Class count, preprocessing and (for training) augmentation.
 * @returns The source.
 * @example
 * ```ts
 * const train = imageBatchSource(dataset.splits.train, { numClasses: 4, preprocessing: "scale_0_1", augmentation });
 * ```
 */
export function imageBatchSource(
  set: ImageSet,
  options: { numClasses: number; preprocessing: Preprocessing; augmentation?: AugmentationConfig; blurSigma?: number },
): BatchSource {
  const augmentation = options.augmentation && !isAugmentationOff(options.augmentation)
    ? { ...options.augmentation, valueRange: valueRangeOf(options.preprocessing) }
    : null;
  return {
    count: set.count,
    labels: set.labels,
    numClasses: options.numClasses,
    batch(indices, { training, rng }) {
      const x = blurred(toBatchTensor(set, indices, options.preprocessing), options.blurSigma ?? 0);
      const y = oneHotLabels(set, indices, options.numClasses);
      if (!training || augmentation === null) return { x, y };
      const augmented = augmentBatch(x, augmentation, rng);
      tf.dispose(x);
      return { x: augmented, y };
    },
  };
}

/**
 * The span of input values, the unit of the brightness setting: 1 for
 * [0, 1] inputs, 255 for raw pixels; standardised inputs have no fixed range,
 * so augmentation measures it per batch (null).
 */
function blurred(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (sigma <= 0) return x;
  const out = gaussianBlur(x, sigma);
  x.dispose();
  return out;
}

function valueRangeOf(preprocessing: Preprocessing): number | null {
  return preprocessing === "scale_0_1" ? 1 : preprocessing === "none" ? 255 : null;
}
