/**
 * Reads the facts the data report needs from one image file's bytes.
 *
 * @module
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
import { decodeImage } from "./decode_image.ts";
import { type PerceptualHash, perceptualHash } from "./perceptual_hash.ts";

/** What {@linkcode scanImage} learns about one readable image. */
export interface ImageScan {
  /** SHA-1 of the file's bytes, hex. */
  sha1: string;
  /** Stored width, height and channel count (before any conversion). */
  width: number;
  height: number;
  channels: number;
  /** Container format as sharp names it (`jpeg`, `png`, ...). */
  format: string;
  /** The image as `size x size` gray pixels (resized when stored otherwise). */
  gray: Uint8Array;
  /** Population standard deviation of `gray`. */
  std: number;
  /** Mean absolute difference of adjacent pixels of `gray`, in gray levels (lower is blurrier). */
  sharpness: number;
  /** DCT perceptual hash of `gray`. */
  hash: PerceptualHash;
}

/**
 * Hashes, decodes and measures one image. Pixels come from
 * {@linkcode decodeImage}, so the report sees each image exactly as the loader
 * does (grayscale, resized to `size` when stored otherwise).
 *
 * @param bytes The file's bytes.
 * @param size Expected side length in pixels.
 * @returns The scan.
 * @throws Error from sharp when the bytes are not a readable image.
 * @example
 * ```ts
 * const scan = await scanImage(await Deno.readFile("face.jpg"), 48);
 * console.assert(scan.gray.length === 48 * 48);
 * ```
 */
export async function scanImage(bytes: Uint8Array, size: number): Promise<ImageScan> {
  const sha1 = createHash("sha1").update(bytes).digest("hex");
  // The header gives the stored size and mode; the decode below is the loader's own.
  const metadata = await sharp(bytes).metadata();
  const gray = await decodeImage(bytes, { size, channels: 1 });
  return {
    sha1,
    width: metadata.width ?? 0,
    height: metadata.height ?? 0,
    channels: metadata.channels ?? 0,
    format: metadata.format ?? "unknown",
    gray,
    std: standardDeviation(gray),
    sharpness: meanNeighbourDifference(gray, size),
    hash: perceptualHash(gray, { width: size }),
  };
}

/**
 * Mean absolute difference between horizontally and vertically adjacent
 * pixels, in gray levels: a cheap sharpness measure (blur lowers it).
 */
function meanNeighbourDifference(gray: Uint8Array, size: number): number {
  let sum = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (x + 1 < size) sum += Math.abs(gray[i + 1] - gray[i]);
      if (y + 1 < size) sum += Math.abs(gray[i + size] - gray[i]);
    }
  }
  return sum / (2 * size * (size - 1));
}

function standardDeviation(pixels: Uint8Array): number {
  let sum = 0;
  let squares = 0;
  for (const value of pixels) {
    sum += value;
    squares += value * value;
  }
  const mean = sum / pixels.length;
  return Math.sqrt(Math.max(0, squares / pixels.length - mean * mean));
}
