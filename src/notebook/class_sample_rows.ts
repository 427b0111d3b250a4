/**
 * Picks sample images per class from a decoded split, as image-grid rows.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { Rng } from "../core/seed.ts";
import type { GridRow } from "./image_grid.ts";

/** Options of {@linkcode classSampleRows}. */
export interface ClassSampleOptions {
  /** Images per class (fewer when a class has fewer). @default 8 */
  perClass?: number;
  /** Chooses the images; the same seed gives the same picks. */
  rng: Rng;
}

/**
 * One grid row per class, labelled with the class name and its image count,
 * holding up to `perClass` images of that class chosen by `rng`. For 3-channel
 * sets the first channel is shown (the decoder replicates gray into all three).
 *
 * @param set A decoded split (e.g. `dataset.splits.train`).
 * @param classes Class names in label order.
 * @param options See {@linkcode ClassSampleOptions}.
 * @returns Rows for `imageGrid` (with `size` = the set's width).
 * @throws {ConfigError} When `perClass` is not a whole number >= 1, or the images are not square.
 * @example
 * ```ts
 * const rows = classSampleRows(dataset.splits.train, dataset.classes, { perClass: 6, rng: makeRng(42) });
 * console.assert(rows.length === dataset.classes.length);
 * ```
 */
export function classSampleRows(set: ImageSet, classes: readonly string[], options: ClassSampleOptions): GridRow[] {
  const perClass = options.perClass ?? 8;
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new ConfigError(`Samples perClass ${perClass} is not a whole number >= 1; use e.g. 8`);
  }
  if (set.width !== set.height) {
    throw new ConfigError(`Images are ${set.width}x${set.height}; sample grids need square images (decode with a size)`);
  }
  const side = set.width * set.height;
  const byClass = classes.map((): number[] => []);
  for (let i = 0; i < set.count; i++) byClass[set.labels[i]]?.push(i);
  return classes.map((name, label) => {
    const picked = options.rng.shuffle([...byClass[label]]).slice(0, perClass);
    return {
      label: `${name} (${byClass[label].length})`,
      tiles: picked.map((index) => {
        const pixels = new Uint8Array(side);
        for (let p = 0; p < side; p++) pixels[p] = set.pixels[(index * side + p) * set.channels];
        return { pixels };
      }),
    };
  });
}
