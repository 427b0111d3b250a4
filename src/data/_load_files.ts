/**
 * Reads and decodes the files of a dataset listing (the uncached half of loadDataset).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { mapConcurrent } from "./_map_concurrent.ts";
import { SPLITS, type SplitName } from "./classes.ts";
import type { DatasetCacheEntry, UnreadableImage } from "./dataset_cache.ts";
import { decodeImage, type ResolvedDecodeOptions } from "./decode_image.ts";
import type { ImageEntry } from "./discover_dataset.ts";
import { type ImageSet, makeImageSet } from "./image_set.ts";

/** One listed file and its bytes (null with the reason when it could not be read). */
export interface DatasetFile {
  split: SplitName;
  entry: ImageEntry;
  bytes: Uint8Array | null;
  error: string | null;
}

/**
 * Reads every listed file, split by split in {@linkcode SPLITS} order.
 * Synchronous reads of many small files are several times faster than async
 * ones under Deno (measured: 0.12 s against 0.6 s for 17,805 files), and the
 * reload target depends on it.
 *
 * @param root Dataset root.
 * @param splits Entries per split, from discoverDataset.
 * @returns One record per entry.
 * @example
 * ```ts
 * const files = readDatasetFiles(root, (await discoverDataset(root)).splits);
 * console.assert(files.every((f) => f.bytes !== null || f.error !== null));
 * ```
 */
export function readDatasetFiles(root: string, splits: Partial<Record<SplitName, ImageEntry[]>>): DatasetFile[] {
  const files: DatasetFile[] = [];
  for (const split of SPLITS) {
    for (const entry of splits[split] ?? []) {
      try {
        files.push({ split, entry, bytes: readFileSync(join(root, entry.relativePath)), error: null });
      } catch (error) {
        files.push({ split, entry, bytes: null, error: (error as Error).message });
      }
    }
  }
  return files;
}

/**
 * Decodes files into one image set per split that has files. Files that fail
 * to read or decode are left out and listed with the reason.
 *
 * @param files From {@linkcode readDatasetFiles}.
 * @param context What the cache entry records, plus progress and concurrency.
 * @returns A cache entry.
 * @example
 * ```ts
 * const entry = await decodeDatasetFiles(files, { fingerprint, classes, decode: resolveDecodeOptions() });
 * console.assert(entry.splits.train!.height === 48);
 * ```
 */
export async function decodeDatasetFiles(
  files: DatasetFile[],
  context: {
    fingerprint: string;
    classes: string[];
    decode: ResolvedDecodeOptions;
    onProgress?: (done: number, total: number) => void;
    concurrency?: number;
  },
): Promise<DatasetCacheEntry> {
  const { decode, onProgress } = context;
  const every = Math.max(1, Math.floor(files.length / 100));
  let done = 0;
  const results = await mapConcurrent(files, async (file) => {
    let result: Uint8Array | string;
    try {
      result = file.bytes === null ? file.error! : await decodeImage(file.bytes, decode);
    } catch (error) {
      result = (error as Error).message;
    }
    done++;
    if (onProgress && (done % every === 0 || done === files.length)) onProgress(done, files.length);
    return result;
  }, { limit: context.concurrency ?? 4 * availableParallelism() });

  const shape = { height: decode.size, width: decode.size, channels: decode.channels };
  const length = decode.size * decode.size * decode.channels;
  const unreadable: UnreadableImage[] = [];
  const splits: Partial<Record<SplitName, ImageSet>> = {};
  for (const split of SPLITS) {
    const positions = files.flatMap((file, i) => (file.split === split ? [i] : []));
    if (positions.length === 0) continue;
    const kept = positions.filter((i) => {
      const result = results[i];
      if (typeof result === "string") unreadable.push({ path: files[i].entry.relativePath, reason: result });
      return typeof result !== "string";
    });
    const block = new Uint8Array(kept.length * length);
    kept.forEach((i, k) => block.set(results[i] as Uint8Array, k * length));
    splits[split] = makeImageSet({
      pixels: block,
      labels: Uint8Array.from(kept, (i) => files[i].entry.label),
      paths: kept.map((i) => files[i].entry.relativePath),
    }, shape);
  }
  return { fingerprint: context.fingerprint, classes: context.classes, decode, splits, unreadable };
}
