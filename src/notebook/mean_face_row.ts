/**
 * The data report's mean faces as one image-grid row.
 *
 * @module
 */
import type { MeanFace } from "../data/data_report.ts";
import type { GridRow } from "./image_grid.ts";

/**
 * One row, "train mean", with one tile per class captioned by class name and
 * the number of images averaged. Averaging flattens contrast, so by default
 * each face is stretched linearly from its own darkest to its lightest value
 * onto 0-255, which makes the shape of each mean visible.
 *
 * @param faces `report.meanFaces` from `dataReport`.
 * @param options `stretch`: map each face's min..max onto 0..255. @default true
 * @returns A single-row list for `imageGrid` (with `size` = `report.settings.size`).
 * @example
 * ```ts
 * const rows = meanFaceRow([{ className: "happy", images: 2, pixels: Float32Array.of(100, 150) }]);
 * console.assert(rows[0].tiles[0].caption === "happy (2)" && rows[0].tiles[0].pixels[1] === 255);
 * ```
 */
export function meanFaceRow(faces: readonly MeanFace[], options: { stretch?: boolean } = {}): GridRow[] {
  const stretch = options.stretch ?? true;
  return [{
    label: "train mean",
    tiles: faces.map((face) => ({
      pixels: stretch ? stretched(face.pixels) : face.pixels,
      caption: `${face.className} (${face.images})`,
    })),
  }];
}

function stretched(pixels: Float32Array): Float32Array {
  let low = Infinity;
  let high = -Infinity;
  for (const v of pixels) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  // A flat face (or no image) has nothing to stretch.
  if (!(high > low)) return pixels;
  return pixels.map((v) => (255 * (v - low)) / (high - low));
}
