/**
 * One binary file per decoded dataset, named by its fingerprint, so a reload skips decoding.
 *
 * The file is the one cache format of src/core/cache_file.ts, tagged
 * `FERCACHE`: its body is the raw uint8 pixels of every split in the order
 * of {@linkcode SPLITS}, and its header the classes, decode options, paths
 * and labels, with the pixels' length and SHA-256, so a torn or altered file
 * is detected on read (and rebuilt).
 *
 * @module
 */
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { type CacheFileKind, type CacheRead, encodeCacheFile, readCacheFile } from "../core/cache_file.ts";
import { SPLITS, type SplitName } from "./classes.ts";
import type { ResolvedDecodeOptions } from "./decode_image.ts";
import { type ImageSet, makeImageSet } from "./image_set.ts";

/** Version of the file layout; a file of another version is rebuilt. */
export const DATASET_CACHE_FORMAT = 1;

/** The file's tag and where its header keeps the pixels' length and checksum (see src/core/cache_file.ts). */
const KIND: CacheFileKind = { tag: "FERCACHE", format: DATASET_CACHE_FORMAT, bodyBytesKey: "pixelBytes", bodySha256Key: "pixelsSha256", bodyName: "pixel" };

/** A file that was found but could not be decoded. */
export interface UnreadableImage {
  /** Path relative to the dataset root. */
  path: string;
  /** Why it was skipped (the reader's or decoder's message). */
  reason: string;
}

/** What the cache stores: a decode of every split found on disk. */
export interface DatasetCacheEntry {
  /** The dataset fingerprint (hex SHA-256). */
  fingerprint: string;
  /** Class names in label order. */
  classes: string[];
  /** The decode options used. */
  decode: ResolvedDecodeOptions;
  /** Decoded images per split found on disk. */
  splits: Partial<Record<SplitName, ImageSet>>;
  /** Files that were skipped because they could not be read or decoded. */
  unreadable: UnreadableImage[];
}

/** The outcome of {@linkcode DatasetCache.read}. */
export type DatasetCacheRead = CacheRead<DatasetCacheEntry>;

/** A cache folder. Make one with {@linkcode datasetCache}. */
export interface DatasetCache {
  /** The file that holds the dataset with this fingerprint. */
  pathFor(fingerprint: string): string;
  /** Reads and fully verifies the file for `fingerprint`. Never throws on a bad file. */
  read(fingerprint: string): Promise<DatasetCacheRead>;
  /** Writes `entry` atomically (temporary file, then rename), replacing any file there. */
  write(entry: DatasetCacheEntry): Promise<void>;
}

interface Header {
  format: number;
  fingerprint: string;
  classes: string[];
  decode: ResolvedDecodeOptions;
  splits: Partial<Record<SplitName, { count: number; paths: string[]; labels: number[] }>>;
  unreadable: UnreadableImage[];
}

/**
 * Opens a dataset cache folder (created on the first write).
 *
 * @param cacheDir Folder for cache files, such as `.cache/datasets` under the project.
 * @returns The cache.
 * @example
 * ```ts
 * const cache = datasetCache(".cache/datasets");
 * const found = await cache.read("0".repeat(64));
 * console.assert(found.status === "missing");
 * ```
 */
export function datasetCache(cacheDir: string): DatasetCache {
  const pathFor = (fingerprint: string) => join(cacheDir, `${fingerprint}.fercache`);
  return {
    pathFor,
    read: (fingerprint) => readCacheFile(pathFor(fingerprint), KIND, (header, pixels) => checkEntry(header as unknown as Header, pixels, fingerprint)),
    write: (entry) => atomicWrite(pathFor(entry.fingerprint), encodeCache(entry)),
  };
}

function encodeCache(entry: DatasetCacheEntry): Uint8Array {
  const present = SPLITS.filter((split) => entry.splits[split] !== undefined);
  const header: Header = {
    format: DATASET_CACHE_FORMAT,
    fingerprint: entry.fingerprint,
    classes: entry.classes,
    decode: entry.decode,
    splits: Object.fromEntries(present.map((split) => {
      const set = entry.splits[split]!;
      return [split, { count: set.count, paths: set.paths, labels: Array.from(set.labels) }];
    })),
    unreadable: entry.unreadable,
  };
  return encodeCacheFile(KIND, { header: { ...header }, body: present.map((split) => entry.splits[split]!.pixels) });
}

/** Checks a verified file's header against the fingerprint asked for and splits its pixels; throws a plain Error naming the first problem. */
function checkEntry(header: Header, pixels: Uint8Array, fingerprint: string): DatasetCacheEntry {
  if (header.fingerprint !== fingerprint) throw new Error(`Cache holds fingerprint ${header.fingerprint}, not ${fingerprint}`);
  const shape = { height: header.decode.size, width: header.decode.size, channels: header.decode.channels };
  const splits: Partial<Record<SplitName, ImageSet>> = {};
  let offset = 0;
  for (const split of SPLITS) {
    const stored = header.splits[split];
    if (stored === undefined) continue;
    const length = stored.count * shape.height * shape.width * shape.channels;
    if (stored.labels.some((label) => !(label >= 0 && label < header.classes.length))) {
      throw new Error(`Cache split ${split} has a label outside the ${header.classes.length} classes`);
    }
    // makeImageSet checks that counts, paths and pixel lengths agree.
    splits[split] = makeImageSet(
      { pixels: pixels.subarray(offset, offset + length), labels: Uint8Array.from(stored.labels), paths: stored.paths },
      shape,
    );
    offset += length;
  }
  if (offset !== pixels.length) throw new Error(`Cache splits cover ${offset} of ${pixels.length} pixel bytes`);
  return { fingerprint, classes: header.classes, decode: header.decode, splits, unreadable: header.unreadable };
}
