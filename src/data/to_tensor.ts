/**
 * Turns images of an {@linkcode ImageSet} into float32 batch tensors.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, DatasetError } from "../core/errors.ts";
import { type ImageSet, imageLength } from "./image_set.ts";

/**
 * How uint8 pixels become model inputs:
 * - `"scale_0_1"`: `x / 255`, in [0, 1];
 * - `"standardize"`: per image, `(x - mean) / max(std, 1 / sqrt(N))` with `N`
 *   the image's value count and `std` the population deviation (as
 *   TensorFlow's `per_image_standardization`), so a flat image gives zeros;
 * - `"none"`: the raw 0..255 values as floats.
 */
export type Preprocessing = "scale_0_1" | "standardize" | "none";

/** Every {@linkcode Preprocessing}, in documentation order. */
export const PREPROCESSINGS: readonly Preprocessing[] = ["scale_0_1", "standardize", "none"];

/**
 * Copies the images at `indices` into a float32 tensor `[n, height, width, channels]`,
 * preprocessed on the CPU as it copies (one pass, no intermediate tensors).
 *
 * @param set The images.
 * @param indices Positions in `set`, in batch order (repeats allowed).
 * @param preprocessing See {@linkcode Preprocessing}.
 * @returns A new tensor the caller disposes.
 * @throws {ConfigError} For an unknown preprocessing.
 * @throws {DatasetError} For an index outside the set.
 * @example
 * ```ts
 * const x = toBatchTensor(set, [0, 1], "scale_0_1");
 * console.assert(x.shape[0] === 2 && x.dtype === "float32");
 * ```
 */
export function toBatchTensor(set: ImageSet, indices: readonly number[], preprocessing: Preprocessing): tf.Tensor4D {
  if (!PREPROCESSINGS.includes(preprocessing)) {
    throw new ConfigError(`Unknown preprocessing "${preprocessing}"; known: ${PREPROCESSINGS.join(", ")}`);
  }
  const length = imageLength(set);
  const out = new Float32Array(indices.length * length);
  indices.forEach((index, position) => {
    checkIndex(set, index);
    const image = set.pixels.subarray(index * length, (index + 1) * length);
    writeImage(image, out.subarray(position * length, (position + 1) * length), preprocessing);
  });
  return tf.tensor4d(out, [indices.length, set.height, set.width, set.channels], "float32");
}

/**
 * One-hot float32 labels `[n, numClasses]` of the images at `indices`.
 *
 * @param set The images.
 * @param indices Positions in `set`, in batch order.
 * @param numClasses Length of the class list.
 * @returns A new tensor the caller disposes.
 * @throws {DatasetError} For an index outside the set or a label not below `numClasses`.
 * @example
 * ```ts
 * const y = oneHotLabels(set, [0], 4); // set.labels[0] === 2
 * console.assert(y.arraySync()[0].join() === "0,0,1,0");
 * ```
 */
export function oneHotLabels(set: ImageSet, indices: readonly number[], numClasses: number): tf.Tensor2D {
  const out = new Float32Array(indices.length * numClasses);
  indices.forEach((index, position) => {
    checkIndex(set, index);
    const label = set.labels[index];
    if (label >= numClasses) {
      throw new DatasetError(
        `Label ${label} of ${set.paths[index]} is not below the class count ${numClasses}; ` +
          "pass the length of the dataset's class list",
      );
    }
    out[position * numClasses + label] = 1;
  });
  return tf.tensor2d(out, [indices.length, numClasses], "float32");
}

function writeImage(image: Uint8Array, out: Float32Array, preprocessing: Preprocessing): void {
  if (preprocessing === "none") {
    out.set(image);
    return;
  }
  if (preprocessing === "scale_0_1") {
    for (let i = 0; i < image.length; i++) out[i] = image[i] / 255;
    return;
  }
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < image.length; i++) {
    sum += image[i];
    squares += image[i] * image[i];
  }
  const mean = sum / image.length;
  const std = Math.sqrt(Math.max(0, squares / image.length - mean * mean));
  const scale = Math.max(std, 1 / Math.sqrt(image.length));
  for (let i = 0; i < image.length; i++) out[i] = (image[i] - mean) / scale;
}

function checkIndex(set: ImageSet, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new DatasetError(
      `Image index ${index} is outside the image set of ${set.count} images; indices must be whole numbers in [0, ${set.count})`,
    );
  }
}
