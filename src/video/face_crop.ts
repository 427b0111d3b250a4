/**
 * From a detected face box to the model's input: a square crop registered as
 * the training faces are, grayscale, at the model's size.
 *
 * Registration was measured (bench/face_registration.ts): the detector, run on
 * 288 validation and test faces of the real dataset (each 48x48 crop scaled to
 * 96 and centred on a gray canvas), found a face in 241; its box is about as
 * wide as the whole crop (median width 1.005 and height 0.952 of the crop's
 * side) and its centre sits 0.094 of the side below and 0.032 left of the
 * crop's centre. So a crop here is the square of side (w + h) / 1.957 around
 * the box centre moved up 0.094 and right 0.032 of that side: the margin
 * FER-2013's crops have.
 *
 * Pure tfjs with no I/O, so the live page runs the same code in the browser.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import type { FaceBox } from "./tiny_face_detector.ts";

/** A square region of an image, in pixels (may reach past the edges). */
export interface CropRegion {
  /** Left edge. */
  x: number;
  /** Top edge. */
  y: number;
  /** Side length. */
  side: number;
}

/** Measured detector-box-to-crop ratios (see the module doc). */
export const FACE_REGISTRATION = {
  /** Crop side = (box width + box height) / sizeDivisor. */
  sizeDivisor: 1.957,
  /** Crop centre = box centre + shiftX * side (x) and + shiftY * side (y). */
  shiftX: 0.032,
  shiftY: -0.094,
} as const;

/**
 * The square region of a FER-2013-style crop around a detected face.
 *
 * @param box The detector's box.
 * @returns The crop square.
 * @example
 * ```ts
 * const region = faceCropRegion({ x: 100, y: 100, width: 100, height: 100, score: 1 });
 * console.assert(Math.abs(region.side - 200 / 1.957) < 1e-9);
 * ```
 */
export function faceCropRegion(box: Omit<FaceBox, "score">): CropRegion {
  const side = (box.width + box.height) / FACE_REGISTRATION.sizeDivisor;
  const centerX = box.x + box.width / 2 + FACE_REGISTRATION.shiftX * side;
  const centerY = box.y + box.height / 2 + FACE_REGISTRATION.shiftY * side;
  return { x: centerX - side / 2, y: centerY - side / 2, side };
}

/** Options of {@linkcode cropFaces}. */
export interface CropOptions {
  /** Output side in pixels (the model's `dataset.size`). @default 48 */
  size?: number;
}

/**
 * Cuts each face's registered square out of an RGB image and returns it as
 * grayscale uint8 pixels at `size x size`, as the dataset decoder would give
 * them (luma 0.299 R + 0.587 G + 0.114 B, rounded). A crop reaching past the
 * image is filled with gray 128. Large faces are cropped at
 * a multiple of `size` and average-pooled down, so the small crop is not aliased.
 *
 * @param image `[height, width, 3]` RGB, 0..255.
 * @param boxes Detected faces.
 * @param options See {@linkcode CropOptions}.
 * @returns One `size * size` Uint8Array per box, in box order.
 * @throws {ConfigError} For an image that is not RGB or a size below 8.
 * @example
 * ```ts
 * const [face] = await cropFaces(tf.fill([100, 100, 3], 200), [{ x: 20, y: 20, width: 60, height: 60, score: 1 }], { size: 48 });
 * console.assert(face.length === 48 * 48 && face[48 * 24 + 24] === 200);
 * ```
 */
export async function cropFaces(image: tf.Tensor3D, boxes: readonly FaceBox[], options: CropOptions = {}): Promise<Uint8Array[]> {
  const size = options.size ?? 48;
  if (!Number.isInteger(size) || size < 8) throw new ConfigError(`Crop size is ${size}; use the model's input size, an integer of at least 8, e.g. 48`);
  const [height, width, channels] = image.shape;
  if (channels !== 3) throw new ConfigError(`Face crops need an RGB image [height, width, 3]; got shape [${image.shape.join(", ")}]`);
  if (boxes.length === 0) return [];
  const regions = boxes.map(faceCropRegion);
  const largest = Math.max(...regions.map((region) => region.side));
  const factor = Math.max(1, Math.min(4, Math.floor(largest / size)));
  const crops = tf.tidy(() => {
    const batch = tf.cast(image, "float32").expandDims(0) as tf.Tensor4D;
    // cropAndResize boxes are [y1, x1, y2, x2] in 0..1 of (size - 1) pixel spans.
    const normalized = regions.map((r) => [r.y / (height - 1), r.x / (width - 1), (r.y + r.side) / (height - 1), (r.x + r.side) / (width - 1)]);
    let rgb = tf.image.cropAndResize(batch, normalized, boxes.map(() => 0), [size * factor, size * factor], "bilinear", 128);
    if (factor > 1) rgb = tf.avgPool(rgb, factor, factor, "valid");
    const gray = tf.sum(tf.mul(rgb, tf.tensor1d([0.299, 0.587, 0.114])), -1);
    return tf.clipByValue(tf.round(gray), 0, 255);
  });
  const values = await crops.data();
  crops.dispose();
  return boxes.map((_, i) => Uint8Array.from(values.subarray(i * size * size, (i + 1) * size * size)));
}
