/**
 * Misclassified images as image-grid rows, read from the dataset.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.ts";
import { decodeImage } from "../data/decode_image.ts";
import type { GridRow } from "./image_grid.ts";
import type { MisclassifiedGroup } from "./select_misclassified.ts";

/**
 * One row per true class, labelled "<class>" over "<wrong>/<total> wrong", each tile
 * an image captioned with the predicted class and its probability
 * ("-> sad 87%"). Images are decoded as `size x size` grayscale.
 *
 * @param groups From `selectMisclassified`.
 * @param options `datasetRoot`: the folder prediction paths are relative to
 *   (the run manifest's `dataset.root`); `size`: tile side. @default size 48
 * @returns Rows for `imageGrid`.
 * @throws {DatasetError} When an image cannot be read (the dataset moved or changed).
 * @example
 * ```ts
 * const rows = await misclassifiedRows(groups, { datasetRoot: manifest.dataset.root });
 * const png = await imageGrid(rows);
 * ```
 */
export async function misclassifiedRows(
  groups: readonly MisclassifiedGroup[],
  options: { datasetRoot: string; size?: number },
): Promise<GridRow[]> {
  const size = options.size ?? 48;
  return await Promise.all(groups.map(async (group) => ({
    label: `${group.trueClass}\n${group.wrong}/${group.total} wrong`,
    tiles: await Promise.all(group.examples.map(async (example) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(join(options.datasetRoot, example.path)));
      } catch {
        throw new DatasetError(
          `Image ${example.path} of the predictions is not under ${options.datasetRoot}; pass the run's dataset root (manifest dataset.root)`,
        );
      }
      const probability = example.probabilities[example.predictedClass] ?? 0;
      return {
        pixels: await decodeImage(bytes, { size, channels: 1 }),
        caption: `-> ${example.predictedClass} ${(100 * probability).toFixed(0)}%`,
      };
    })),
  })));
}
