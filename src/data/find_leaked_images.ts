/**
 * Leakage between splits: which validation and test images have an exact or
 * near copy in train. A model can score those by memory, so every evaluation
 * reports accuracy on the leak-free rest beside the figure on the whole split.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { ConfigError } from "../core/errors.ts";
import { imageLength, type ImageSet } from "./image_set.ts";
import { selectImages } from "./limit_image_set.ts";
import { type PerceptualHash, perceptualHash, popcount32 } from "./perceptual_hash.ts";

/** How one evaluated image leaks from train. */
export interface LeakedImage {
  /** `exact`: the same decoded pixels as a train image; `near`: a perceptual hash within the threshold. */
  kind: "exact" | "near";
  /** The closest train image (relative path). */
  trainPath: string;
  /** Hamming distance of the perceptual hashes (0 for exact copies). */
  distance: number;
}

/** The leakage of a dataset's evaluated splits from its train split. */
export interface Leakage {
  /** Largest Hamming distance (of 64 bits) that counts as a near copy. */
  hammingThreshold: number;
  /** Leaked images by path (relative to the root); images not listed are leak-free. */
  leaked: Record<string, LeakedImage>;
  /** Per evaluated split: images, exact copies of train, near copies of train. */
  counts: Record<string, { images: number; exact: number; near: number }>;
}

/** Options for {@linkcode findLeakedImages}. */
export interface FindLeakedImagesOptions {
  /**
   * Largest perceptual-hash distance that counts as a near copy. The data
   * report's default, measured there: 96-100 % of pairs at distance 0-4 and
   * 85 % at 6 are the same photo. @default 6
   */
  hammingThreshold?: number;
}

/**
 * Compares every image of the evaluated splits with every train image, on
 * their decoded pixels: identical pixels are an exact copy, a DCT perceptual
 * hash within `hammingThreshold` bits a near copy (another crop, contrast or
 * watermark of the same photo). All-pairs on packed hashes: 15,000 x 2,700
 * pairs take well under a second.
 *
 * @param train The training images.
 * @param evaluated The splits to check, by name (validation, test).
 * @param options See {@linkcode FindLeakedImagesOptions}.
 * @returns The leaked images and counts per split.
 * @throws {ConfigError} When the threshold is not a whole number in [0, 64].
 * @example
 * ```ts
 * const leakage = findLeakedImages(dataset.splits.train, { validation: dataset.splits.validation });
 * console.assert(leakage.counts.validation.images === dataset.splits.validation.count);
 * ```
 */
export function findLeakedImages(
  train: ImageSet,
  evaluated: Readonly<Record<string, ImageSet | undefined>>,
  options: FindLeakedImagesOptions = {},
): Leakage {
  const hammingThreshold = options.hammingThreshold ?? 6;
  if (!Number.isInteger(hammingThreshold) || hammingThreshold < 0 || hammingThreshold > 64) {
    throw new ConfigError(`Leakage hammingThreshold ${hammingThreshold} is not a whole number in [0, 64]; use 6`);
  }
  const trainDigests = new Map<string, number>();
  const trainHashes = hashAll(train);
  for (let i = 0; i < train.count; i++) {
    const digest = pixelDigest(train, i);
    if (!trainDigests.has(digest)) trainDigests.set(digest, i);
  }
  const highs = Uint32Array.from(trainHashes, (hash) => hash.high);
  const lows = Uint32Array.from(trainHashes, (hash) => hash.low);
  const leakage: Leakage = { hammingThreshold, leaked: {}, counts: {} };
  for (const [split, set] of Object.entries(evaluated)) {
    if (set === undefined) continue;
    const counts = { images: set.count, exact: 0, near: 0 };
    const hashes = hashAll(set);
    for (let i = 0; i < set.count; i++) {
      const exactIndex = trainDigests.get(pixelDigest(set, i));
      if (exactIndex !== undefined) {
        leakage.leaked[set.paths[i]] = { kind: "exact", trainPath: train.paths[exactIndex], distance: 0 };
        counts.exact++;
        continue;
      }
      const { high, low } = hashes[i];
      let best = hammingThreshold + 1;
      let bestIndex = -1;
      for (let k = 0; k < highs.length; k++) {
        const distance = popcount32(high ^ highs[k]) + popcount32(low ^ lows[k]);
        if (distance < best) {
          best = distance;
          bestIndex = k;
        }
      }
      if (bestIndex >= 0) {
        leakage.leaked[set.paths[i]] = { kind: "near", trainPath: train.paths[bestIndex], distance: best };
        counts.near++;
      }
    }
    leakage.counts[split] = counts;
  }
  return leakage;
}

/**
 * One flag per image of a set: true when it leaks from train.
 *
 * @param paths The images' paths, relative to the dataset root.
 * @param leakage From {@linkcode findLeakedImages}; null when nothing is known.
 * @returns The flags, in the order of `paths`; undefined when leakage is unknown, so
 *   no leak-free figure claims a cleanliness nobody checked.
 * @example
 * ```ts
 * const flags = leakedFlags(["validation/happy/a.jpg"], { hammingThreshold: 6, counts: {}, leaked: {
 *   "validation/happy/a.jpg": { kind: "exact", trainPath: "train/happy/b.jpg", distance: 0 } } });
 * console.assert(flags?.[0] === true);
 * ```
 */
export function leakedFlags(paths: readonly string[], leakage: Leakage | null): boolean[] | undefined {
  if (leakage === null) return undefined;
  return paths.map((path) => Object.hasOwn(leakage.leaked, path));
}

/**
 * Validation and test less their images with a copy in train (`dataset.dropLeaked`);
 * other splits are returned as they are.
 *
 * @param splits The loaded splits.
 * @param leakage From {@linkcode findLeakedImages} against those splits' train.
 * @returns The same splits, validation and test without their leaked images.
 * @example
 * ```ts
 * const clean = withoutLeakedImages(dataset.splits, dataset.leakage!);
 * ```
 */
export function withoutLeakedImages<T extends { validation: ImageSet; test?: ImageSet }>(splits: T, leakage: Leakage): T {
  const keep = (set: ImageSet) => selectImages(set, leakedFlags(set.paths, leakage)!.flatMap((leaked, i) => leaked ? [] : [i]));
  return { ...splits, validation: keep(splits.validation), ...(splits.test !== undefined ? { test: keep(splits.test) } : {}) };
}

function hashAll(set: ImageSet): PerceptualHash[] {
  return Array.from({ length: set.count }, (_, i) => perceptualHash(grayOf(set, i), { width: set.width }));
}

/** The first channel of image `i` (channels are gray replicated when there are three). */
function grayOf(set: ImageSet, i: number): Uint8Array {
  const length = imageLength(set);
  const image = set.pixels.subarray(i * length, (i + 1) * length);
  if (set.channels === 1) return image;
  const gray = new Uint8Array(set.height * set.width);
  for (let p = 0; p < gray.length; p++) gray[p] = image[p * set.channels];
  return gray;
}

function pixelDigest(set: ImageSet, i: number): string {
  const length = imageLength(set);
  return createHash("sha1").update(set.pixels.subarray(i * length, (i + 1) * length)).digest("hex");
}
