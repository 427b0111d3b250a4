/**
 * One file per computed feature matrix, named by a key over everything that
 * determines it, so a frozen backbone runs over a dataset once.
 *
 * Layout: 8 bytes `FERFEATS`, uint32 LE format version, uint32 LE header
 * length, the header as UTF-8 JSON (key, rows, columns, SHA-256 of the
 * values), then the float32 LE values row after row.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DatasetError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";

/** Version of the file layout; a file of another version is recomputed. */
export const FEATURE_CACHE_FORMAT = 1;

const MAGIC = "FERFEATS";
const PREFIX_BYTES = 16;

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
  /** The matrix stored under `key`, or null when there is none or the file fails its checks (never throws for a bad file). */
  read(key: string): Promise<FeatureMatrix | null>;
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
 * console.assert((await cache.read("k"))?.columns === 2);
 * ```
 */
export function featureCache(dir: string): FeatureCache {
  const pathFor = (key: string) => join(dir, `${key}.ferfeats`);
  return {
    pathFor,
    async read(key) {
      try {
        return parse(await readFile(pathFor(key)), key);
      } catch {
        return null;
      }
    },
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
  const bytes = valueBytes(matrix.values);
  const header = { key, rows: matrix.rows, columns: matrix.columns, sha256: createHash("sha256").update(bytes).digest("hex") };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.length + bytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, FEATURE_CACHE_FORMAT, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREFIX_BYTES);
  out.set(bytes, PREFIX_BYTES + json.length);
  return out;
}

function parse(bytes: Uint8Array, key: string): FeatureMatrix | null {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== FEATURE_CACHE_FORMAT) return null;
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) return null;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  // A copy: a Buffer's slice shares a pooled ArrayBuffer, and the values need their own, aligned one.
  const body = new Uint8Array(bytes.subarray(PREFIX_BYTES + headerLength));
  if (header.key !== key || body.length !== header.rows * header.columns * 4) return null;
  if (createHash("sha256").update(body).digest("hex") !== header.sha256) return null;
  return { values: new Float32Array(body.buffer, 0, header.rows * header.columns), rows: header.rows, columns: header.columns };
}
