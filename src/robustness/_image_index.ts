/**
 * Finds images already seen, byte for byte, so the suite predicts each
 * distinct image once: duplicates inside the split (FER-2013 has some) stay
 * duplicates under a deterministic perturbation, and a perturbation can leave
 * an image as it was (a blur of a flat image). A hash picks candidates; the
 * bytes decide, so two different images are never merged.
 *
 * @module
 */

/** A lookup of images by their exact pixels. */
export interface ImageIndex {
  /**
   * The id an identical image was added with, or -1.
   *
   * @param pixels Buffer holding the image.
   * @param start Offset of its first value.
   * @param hash {@linkcode hashImage} of it.
   */
  find(pixels: Uint8Array, start: number, hash: number): number;
  /**
   * Adds an image under `id`; the index keeps a view of `pixels`, so the buffer must not change afterwards.
   *
   * @param pixels Buffer holding the image.
   * @param start Offset of its first value.
   * @param hash {@linkcode hashImage} of it.
   * @param id What {@linkcode ImageIndex.find} returns for it.
   */
  add(pixels: Uint8Array, start: number, hash: number, id: number): void;
}

/**
 * FNV-1a hash of one image's values.
 *
 * @param pixels Buffer holding the image.
 * @param start Offset of its first value.
 * @param length Values per image.
 * @returns An unsigned 32-bit hash.
 * @example
 * ```ts
 * console.assert(hashImage(Uint8Array.of(1, 2, 1, 2), 0, 2) === hashImage(Uint8Array.of(1, 2, 1, 2), 2, 2));
 * ```
 */
export function hashImage(pixels: Uint8Array, start: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = start, end = start + length; i < end; i++) hash = Math.imul(hash ^ pixels[i], 0x01000193);
  return hash >>> 0;
}

/**
 * An empty {@linkcode ImageIndex} for images of `length` values.
 *
 * @param length Values per image.
 * @returns The index.
 * @example
 * ```ts
 * const index = makeImageIndex(2);
 * const pixels = Uint8Array.of(5, 6, 5, 6);
 * index.add(pixels, 0, hashImage(pixels, 0, 2), 0);
 * console.assert(index.find(pixels, 2, hashImage(pixels, 2, 2)) === 0);
 * ```
 */
export function makeImageIndex(length: number): ImageIndex {
  const entries = new Map<number, { pixels: Uint8Array; start: number; id: number }[]>();
  return {
    find(pixels, start, hash) {
      for (const entry of entries.get(hash) ?? []) {
        if (sameImage(pixels, start, entry.pixels, entry.start, length)) return entry.id;
      }
      return -1;
    },
    add(pixels, start, hash, id) {
      const bucket = entries.get(hash);
      if (bucket) bucket.push({ pixels, start, id });
      else entries.set(hash, [{ pixels, start, id }]);
    },
  };
}

function sameImage(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
