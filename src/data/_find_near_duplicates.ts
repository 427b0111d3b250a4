/**
 * Finds pairs of images in different splits whose perceptual hashes are close.
 *
 * @module
 */
import type { SplitName } from "./classes.ts";
import type { NearDuplicatePair } from "./_data_report_parts.ts";
import { type PerceptualHash, popcount32 } from "./perceptual_hash.ts";

/** One image's perceptual identity, as the near-duplicate search needs it. */
export interface HashedImage {
  path: string;
  split: SplitName;
  sha1: string;
  hash: PerceptualHash;
}

/**
 * Compares every image of each split with every image of each later split
 * (train-validation, train-test, validation-test) and returns the pairs whose
 * Hamming distance is at most `threshold`. Byte-identical pairs are left out:
 * they are exact duplicates, reported on their own. The search is all-pairs on
 * packed 32-bit words (15,000 x 2,700 pairs take well under a second).
 *
 * @param images Every readable image.
 * @param threshold Largest distance (in bits of 64) still reported.
 * @returns Pairs sorted by distance, then paths; `a` is in the earlier split.
 * @example
 * ```ts
 * const hash = { high: 1, low: 0 };
 * const pairs = findNearDuplicates([
 *   { path: "train/happy/a.jpg", split: "train", sha1: "x", hash },
 *   { path: "test/happy/b.jpg", split: "test", sha1: "y", hash: { high: 3, low: 0 } },
 * ], 6);
 * console.assert(pairs.length === 1 && pairs[0].distance === 1);
 * ```
 */
export function findNearDuplicates(images: readonly HashedImage[], threshold: number): NearDuplicatePair[] {
  const order: SplitName[] = ["train", "validation", "test"];
  const groups = order.map((split) => images.filter((image) => image.split === split));
  const pairs: NearDuplicatePair[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      pairs.push(...comparePacked(groups[i], groups[j], threshold));
    }
  }
  return pairs.sort((p, q) => p.distance - q.distance || compare(p.a, q.a) || compare(p.b, q.b));
}

function comparePacked(left: readonly HashedImage[], right: readonly HashedImage[], threshold: number) {
  const highs = Uint32Array.from(right, (image) => image.hash.high);
  const lows = Uint32Array.from(right, (image) => image.hash.low);
  const found: NearDuplicatePair[] = [];
  for (const a of left) {
    const high = a.hash.high;
    const low = a.hash.low;
    for (let k = 0; k < highs.length; k++) {
      const distance = popcount32(high ^ highs[k]) + popcount32(low ^ lows[k]);
      if (distance > threshold) continue;
      const b = right[k];
      if (a.sha1 === b.sha1) continue;
      found.push({ a: a.path, b: b.path, distance });
    }
  }
  return found;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
