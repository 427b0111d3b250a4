/**
 * One binary file per decoded dataset, named by its fingerprint, so a reload skips decoding.
 *
 * Layout: 8 bytes `FERCACHE`, uint32 LE format version, uint32 LE header
 * length, the header as UTF-8 JSON, then the raw uint8 pixels of every split
 * in the order of {@linkcode SPLITS}. The header holds the SHA-256 of the
 * pixels, so a torn or altered file is detected on read.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { SPLITS, type SplitName } from "./classes.ts";
import type { ResolvedDecodeOptions } from "./decode_image.ts";
import { type ImageSet, makeImageSet } from "./image_set.ts";

/** Version of the file layout; a file of another version is rebuilt. */
export const DATASET_CACHE_FORMAT = 1;

const MAGIC = "FERCACHE";
const PREFIX_BYTES = 16;

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
export type DatasetCacheRead =
  | { status: "hit"; entry: DatasetCacheEntry }
  | { status: "missing" }
  | { status: "invalid"; reason: string };

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
  pixelBytes: number;
  pixelsSha256: string;
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
    async read(fingerprint) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(pathFor(fingerprint));
      } catch {
        return { status: "missing" };
      }
      try {
        return { status: "hit", entry: parseCache(bytes, fingerprint) };
      } catch (error) {
        return { status: "invalid", reason: (error as Error).message };
      }
    },
    write: (entry) => atomicWrite(pathFor(entry.fingerprint), serializeCache(entry)),
  };
}

function serializeCache(entry: DatasetCacheEntry): Uint8Array {
  const present = SPLITS.filter((split) => entry.splits[split] !== undefined);
  const pixelBytes = present.reduce((n, split) => n + entry.splits[split]!.pixels.length, 0);
  const hash = createHash("sha256");
  for (const split of present) hash.update(entry.splits[split]!.pixels);
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
    pixelBytes,
    pixelsSha256: hash.digest("hex"),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.length + pixelBytes);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, DATASET_CACHE_FORMAT, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREFIX_BYTES);
  let offset = PREFIX_BYTES + json.length;
  for (const split of present) {
    out.set(entry.splits[split]!.pixels, offset);
    offset += entry.splits[split]!.pixels.length;
  }
  return out;
}

/** Parses and verifies a cache file; throws a plain Error naming the first problem. */
function parseCache(bytes: Uint8Array, fingerprint: string): DatasetCacheEntry {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error("Cache file does not start with the FERCACHE tag");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== DATASET_CACHE_FORMAT) throw new Error(`Cache format ${format} is not ${DATASET_CACHE_FORMAT}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) throw new Error("Cache file is truncated inside its header");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength))) as Header;
  if (header.fingerprint !== fingerprint) throw new Error(`Cache holds fingerprint ${header.fingerprint}, not ${fingerprint}`);
  const pixels = bytes.subarray(PREFIX_BYTES + headerLength);
  if (pixels.length !== header.pixelBytes) {
    throw new Error(`Cache holds ${pixels.length} pixel bytes; its header says ${header.pixelBytes}`);
  }
  if (createHash("sha256").update(pixels).digest("hex") !== header.pixelsSha256) {
    throw new Error("Cache pixels do not match their checksum");
  }
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
