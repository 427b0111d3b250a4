/**
 * Near-duplicate pairs across splits from a data report, side by side as
 * image-grid rows: the leakage a reader should see, not only count.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, DatasetError } from "../core/errors.ts";
import type { SplitName } from "../data/classes.ts";
import type { DataReport, NearDuplicatePair } from "../data/data_report.ts";
import { decodeImage } from "../data/decode_image.ts";
import type { GridRow } from "./image_grid.ts";

/** Options of {@linkcode nearDuplicateRows}. */
export interface NearDuplicateRowsOptions {
  /** Pairs to show, closest first. @default 6 */
  pairs?: number;
  /** The two splits, earlier first (the report lists train before validation before test). @default ["train", "test"] */
  between?: readonly [SplitName, SplitName];
}

/**
 * The closest near-duplicate pairs between two splits (smallest Hamming
 * distance first, then by path), one pair per image of the later split (its
 * closest copy), one row per pair: label "distance d",
 * two tiles captioned `<split>/<class>`. Images are read from `report.root`.
 *
 * @param report A report from `dataReport`.
 * @param options See {@linkcode NearDuplicateRowsOptions}.
 * @returns Rows for `imageGrid` (with `size` = `report.settings.size`); empty when the splits share none.
 * @throws {ConfigError} When `pairs` is not a whole number >= 1.
 * @throws {DatasetError} When an image of a pair cannot be read.
 * @example
 * ```ts
 * const rows = await nearDuplicateRows(report, { pairs: 4, between: ["train", "test"] });
 * console.assert(rows.every((row) => row.tiles.length === 2));
 * ```
 */
export async function nearDuplicateRows(report: DataReport, options: NearDuplicateRowsOptions = {}): Promise<GridRow[]> {
  const count = options.pairs ?? 6;
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`Near-duplicate pairs ${count} is not a whole number >= 1; use e.g. 6`);
  }
  const [first, second] = options.between ?? ["train", "test"];
  // One pair per image of the later split (its closest copy), so exact copies within train do not fill the grid.
  const closestFirst = report.nearDuplicates
    .filter(({ a, b }) => a.startsWith(`${first}/`) && b.startsWith(`${second}/`))
    .sort((x, y) => x.distance - y.distance || x.b.localeCompare(y.b) || x.a.localeCompare(y.a));
  const chosen: NearDuplicatePair[] = [];
  const seen = new Set<string>();
  for (const pair of closestFirst) {
    if (chosen.length === count) break;
    if (seen.has(pair.b)) continue;
    seen.add(pair.b);
    chosen.push(pair);
  }
  const size = report.settings.size;
  const read = async (path: string) => {
    try {
      return await decodeImage(new Uint8Array(await readFile(join(report.root, path))), { size, channels: 1 });
    } catch (error) {
      throw new DatasetError(
        `Cannot read ${path} under ${report.root} (${(error as Error).message}); rerun dataReport on the current files`,
      );
    }
  };
  const caption = (path: string) => path.split("/").slice(0, 2).join("/");
  return await Promise.all(chosen.map(async ({ a, b, distance }) => ({
    label: `distance ${distance}`,
    tiles: [{ pixels: await read(a), caption: caption(a) }, { pixels: await read(b), caption: caption(b) }],
  })));
}
