/**
 * One file per computed feature matrix, named by a key over everything that
 * determines it, so a frozen backbone runs over a dataset once.
 *
 * The file is the one cache format of src/core/cache_file.ts, tagged
 * `FERFEATS`: its header holds the key, rows, columns and the SHA-256 of the
 * values, its body the float32 LE values row after row. A missing or bad
 * file reads as `missing` or `invalid` (with the reason), as in the dataset
 * cache, and the features are computed again.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { DatasetError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { type CacheFileKind, type CacheRead, encodeCacheFile, readCacheFile } from "../core/cache_file.ts";

/** Version of the file layout; a file of another version is recomputed. */
export const FEATURE_CACHE_FORMAT = 1;

/** The file's tag and where its header keeps the values' checksum (see src/core/cache_file.ts). */
const KIND: CacheFileKind = { tag: "FERFEATS", format: FEATURE_CACHE_FORMAT, bodySha256Key: "sha256", bodyName: "value" };

/** A feature matrix: `rows x columns` float32 values, row-major. */
export interface FeatureMatrix {
  values: Float32Array;
  rows: number;
  columns: number;
}

/** A cache folder. Make one with {@linkcode featureCache}. */
export interface FeatureCache {
  /** The file for a key. */
  pathFor(key: string): string;
  /** The matrix stored under `key` (`hit`), `missing`, or `invalid` with the first problem; never throws for a bad file. */
  read(key: string): Promise<CacheRead<FeatureMatrix>>;
  /** Stores `matrix` under `key` atomically. */
  write(key: string, matrix: FeatureMatrix): Promise<void>;
}

/**
 * A stable key over everything that determines a feature matrix: pass the
 * dataset fingerprint, the backbone fingerprint, the split, its image paths,
 * preprocessing, blur and backend.
 *
 * @param facts Any JSON-serialisable object; key order matters.
 * @returns 64 lower-case hex digits.
 * @example
 * ```ts
 * console.assert(featureKey({ a: 1 }) !== featureKey({ a: 2 }));
 * ```
 */
export function featureKey(facts: Record<string, unknown>): string {
  return createHash("sha256").update(`fer-features/${FEATURE_CACHE_FORMAT}\n${JSON.stringify(facts)}`).digest("hex");
}

/**
 * Opens a feature cache folder (created on the first write).
 *
 * @param dir Folder, such as `.cache/datasets/features`.
 * @returns The cache.
 * @example
 * ```ts
 * const cache = featureCache(".cache/datasets/features");
 * await cache.write("k", { values: Float32Array.of(1, 2), rows: 1, columns: 2 });
 * const found = await cache.read("k");
 * console.assert(found.status === "hit" && found.entry.columns === 2);
 * ```
 */
export function featureCache(dir: string): FeatureCache {
  const pathFor = (key: string) => join(dir, `${key}.ferfeats`);
  return {
    pathFor,
    read: (key) => readCacheFile(pathFor(key), KIND, (header, body) => checkMatrix(header, body, key)),
    write: async (key, matrix) => await atomicWrite(pathFor(key), serialize(key, matrix)),
  };
}

function valueBytes(values: Float32Array): Uint8Array {
  // Float32Array is little-endian on every platform tfjs supports.
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function serialize(key: string, matrix: FeatureMatrix): Uint8Array {
  if (matrix.values.length !== matrix.rows * matrix.columns) {
    throw new DatasetError(
      `Feature matrix has ${matrix.values.length} values for ${matrix.rows} x ${matrix.columns}; store one full row per image`,
    );
  }
  return encodeCacheFile(KIND, { header: { key, rows: matrix.rows, columns: matrix.columns }, body: [valueBytes(matrix.values)] });
}

/** Checks a verified file's header against the key asked for and its shape; throws a plain Error naming the first problem. */
function checkMatrix(header: Record<string, unknown>, body: Uint8Array, key: string): FeatureMatrix {
  const rows = header.rows as number, columns = header.columns as number;
  if (header.key !== key) throw new Error(`Cache holds key ${header.key}, not ${key}`);
  if (body.length !== rows * columns * 4) throw new Error(`Cache holds ${body.length} value bytes for ${rows} x ${columns} float32 values`);
  // A copy: a Buffer's slice shares a pooled ArrayBuffer, and the values need their own, aligned one.
  return { values: new Float32Array(new Uint8Array(body).buffer, 0, rows * columns), rows, columns };
}
