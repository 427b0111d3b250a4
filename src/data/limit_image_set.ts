/**
 * Keeps a stratified, seeded subset of an image set (for smoke runs).
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import type { ImageSet } from "./image_set.ts";

/**
 * Picks at most `limit` images, the same share of each class, chosen by `rng`,
 * kept in their original order.
 *
 * Each class gets `round(limit * classCount / count)` images (at least one
 * when it has any), then the total is trimmed to `limit`.
 *
 * @param set The images.
 * @param limit Maximum number of images to keep (>= 1).
 * @param rng The run's generator.
 * @returns A new set (the input when it is already small enough).
 * @example
 * ```ts
 * const small = limitImageSet(dataset.splits.train, 256, makeRng(0));
 * console.assert(small.count <= 256);
 * ```
 */
export function limitImageSet(set: ImageSet, limit: number, rng: Rng): ImageSet {
  if (set.count <= limit) return set;
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.count; i++) {
    const list = byClass.get(set.labels[i]) ?? [];
    list.push(i);
    byClass.set(set.labels[i], list);
  }
  const chosen: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const indices = byClass.get(label)!;
    const take = Math.max(1, Math.round((limit * indices.length) / set.count));
    chosen.push(...rng.shuffle([...indices]).slice(0, take));
  }
  const kept = rng.shuffle(chosen).slice(0, limit).sort((a, b) => a - b);
  return selectImages(set, kept);
}

/**
 * A new image set holding the images at `indices`, in that order.
 *
 * @param set The images.
 * @param indices Positions to keep.
 * @returns The subset.
 * @example
 * ```ts
 * const firstTwo = selectImages(set, [0, 1]);
 * ```
 */
export function selectImages(set: ImageSet, indices: readonly number[]): ImageSet {
  const imageSize = set.height * set.width * set.channels;
  const pixels = new Uint8Array(indices.length * imageSize);
  indices.forEach((index, i) => pixels.set(set.pixels.subarray(index * imageSize, (index + 1) * imageSize), i * imageSize));
  return {
    ...set,
    pixels,
    labels: Uint8Array.from(indices, (i) => set.labels[i]),
    paths: indices.map((i) => set.paths[i]),
    count: indices.length,
  };
}
