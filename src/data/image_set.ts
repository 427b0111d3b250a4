/**
 * The in-memory form of one split of a decoded dataset, and small helpers on it.
 *
 * @module
 */
import { DatasetError } from "../core/errors.ts";

/**
 * Decoded images of one split: one contiguous block of uint8 pixels,
 * `count x height x width x channels`, channels last, with a label and a
 * source path per image.
 */
export interface ImageSet {
  /** `count * height * width * channels` pixels, image after image, row-major, channels last. */
  pixels: Uint8Array;
  /** Class index per image, into the dataset's class list. */
  labels: Uint8Array;
  /** Source file per image, relative to the dataset root (`train/happy/1.jpg`). */
  paths: string[];
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Channels per pixel (1 or 3). */
  channels: number;
}

/** The shape shared by every image of a set. */
export interface ImageShape {
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
  /** Channels per pixel. */
  channels: number;
}

/**
 * Number of uint8 values one image takes: `height * width * channels`.
 *
 * @param shape An image set or any {@linkcode ImageShape}.
 * @returns Values per image.
 * @example
 * ```ts
 * console.assert(imageLength({ height: 48, width: 48, channels: 3 }) === 6912);
 * ```
 */
export function imageLength(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/**
 * Builds an image set, checking that the arrays agree with each other.
 *
 * @param parts Pixels, labels and paths of `labels.length` images.
 * @param shape The shape of every image.
 * @returns The set, sharing the given arrays (no copy).
 * @throws {DatasetError} When the pixel count, labels and paths disagree.
 * @example
 * ```ts
 * const set = makeImageSet(
 *   { pixels: new Uint8Array(8), labels: Uint8Array.of(0, 1), paths: ["a.png", "b.png"] },
 *   { height: 2, width: 2, channels: 1 },
 * );
 * console.assert(set.count === 2);
 * ```
 */
export function makeImageSet(
  parts: { pixels: Uint8Array; labels: Uint8Array; paths: string[] },
  shape: ImageShape,
): ImageSet {
  const count = parts.labels.length;
  if (parts.paths.length !== count || parts.pixels.length !== count * imageLength(shape)) {
    throw new DatasetError(
      `Image set parts disagree: ${count} labels, ${parts.paths.length} paths and ${parts.pixels.length} pixels ` +
        `for images of ${shape.height}x${shape.width}x${shape.channels}; expected one label, one path and ` +
        `${imageLength(shape)} pixels per image`,
    );
  }
  return { ...parts, count, height: shape.height, width: shape.width, channels: shape.channels };
}

/**
 * Counts the images of each class.
 *
 * @param set The images.
 * @param numClasses Length of the class list.
 * @returns `counts[label]` = images with that label.
 * @throws {DatasetError} When a label is not below `numClasses`.
 * @example
 * ```ts
 * const set = makeImageSet(
 *   { pixels: new Uint8Array(3), labels: Uint8Array.of(0, 2, 2), paths: ["a", "b", "c"] },
 *   { height: 1, width: 1, channels: 1 },
 * );
 * console.assert(countPerClass(set, 3).join() === "1,0,2");
 * ```
 */
export function countPerClass(set: ImageSet, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of set.labels) {
    if (label >= numClasses) {
      throw new DatasetError(`Label ${label} is not below the class count ${numClasses}; pass the length of the dataset's class list`);
    }
    counts[label]++;
  }
  return counts;
}
