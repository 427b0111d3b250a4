/**
 * The one binary cache file format, shared by the decoded-dataset cache
 * (src/data/dataset_cache.ts) and the feature cache
 * (src/transfer/feature_cache.ts).
 *
 * Layout: an 8-byte ASCII tag naming the kind of cache (`FERCACHE`,
 * `FERFEATS`), the uint32 LE format version, the uint32 LE header length, the
 * header as UTF-8 JSON, then the body bytes. The header carries the body's
 * length and SHA-256 (`bodyBytesKey`, `bodySha256Key`: each cache keeps the
 * names its files have always had), so a truncated or altered body is found
 * before it is used.
 *
 * One behaviour for a bad file: {@linkcode readCacheFile} never throws for a
 * file that is missing or fails a check; it says which (`missing`, or
 * `invalid` with the first problem), and the cache rebuilds the entry.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

const PREFIX_BYTES = 16;

/** What a cache file is: its tag, its format version and where its header keeps the body's length and checksum. */
export interface CacheFileKind {
  /** Exactly 8 ASCII characters, e.g. `FERCACHE`. */
  tag: string;
  /** The layout version; a file of another version is invalid (and rebuilt). */
  format: number;
  /** Header field that holds the body's length in bytes; omitted when the header implies it (checked by the reader). */
  bodyBytesKey?: string;
  /** Header field that holds the body's SHA-256 in lower-case hex. */
  bodySha256Key: string;
  /** What one body byte holds, for messages (`pixel`: "Cache pixels do not match their checksum"). */
  bodyName: string;
}

/** The outcome of reading a cache entry: found and verified, missing, or failing a check (with the first problem). */
export type CacheRead<T> =
  | { status: "hit"; entry: T }
  | { status: "missing" }
  | { status: "invalid"; reason: string };

/**
 * Encodes a cache file: the tag, the version, the header (with the body's
 * length and checksum added under the kind's keys) and the body.
 *
 * @param kind The tag, format and header keys.
 * @param entry `header`: any JSON-serialisable fields; `body`: the parts of the body, written one after the other.
 * @returns The file's bytes.
 * @example
 * ```ts
 * const kind = { tag: "FERTESTS", format: 1, bodySha256Key: "sha256", bodyName: "value" };
 * const bytes = encodeCacheFile(kind, { header: { rows: 1 }, body: [Uint8Array.of(7)] });
 * console.assert(new TextDecoder().decode(bytes.subarray(0, 8)) === "FERTESTS");
 * ```
 */
export function encodeCacheFile(
  kind: CacheFileKind,
  entry: { header: Record<string, unknown>; body: readonly Uint8Array[] },
): Uint8Array {
  const bodyBytes = entry.body.reduce((n, part) => n + part.length, 0);
  const hash = createHash("sha256");
  for (const part of entry.body) hash.update(part);
  const header = {
    ...entry.header,
    ...(kind.bodyBytesKey ? { [kind.bodyBytesKey]: bodyBytes } : {}),
    [kind.bodySha256Key]: hash.digest("hex"),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREFIX_BYTES + json.length + bodyBytes);
  out.set(new TextEncoder().encode(kind.tag), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, kind.format, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREFIX_BYTES);
  let offset = PREFIX_BYTES + json.length;
  for (const part of entry.body) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Decodes and verifies a cache file's framing: the tag, the version, the
 * header, and the body's length and checksum.
 *
 * @param bytes The file's bytes.
 * @param kind The tag, format and header keys expected.
 * @returns The header and the body (a view into `bytes`).
 * @throws {Error} A plain Error naming the first problem (its message is the `reason` {@linkcode readCacheFile} reports).
 * @example
 * ```ts
 * const kind = { tag: "FERTESTS", format: 1, bodySha256Key: "sha256", bodyName: "value" };
 * const { header, body } = decodeCacheFile(encodeCacheFile(kind, { header: { rows: 1 }, body: [Uint8Array.of(7)] }), kind);
 * console.assert(header.rows === 1 && body[0] === 7);
 * ```
 */
export function decodeCacheFile(bytes: Uint8Array, kind: CacheFileKind): { header: Record<string, unknown>; body: Uint8Array } {
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== kind.tag) {
    throw new Error(`Cache file does not start with the ${kind.tag} tag`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== kind.format) throw new Error(`Cache format ${format} is not ${kind.format}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) throw new Error("Cache file is truncated inside its header");
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength))) as Record<string, unknown>;
  const body = bytes.subarray(PREFIX_BYTES + headerLength);
  if (kind.bodyBytesKey && body.length !== header[kind.bodyBytesKey]) {
    throw new Error(`Cache holds ${body.length} ${kind.bodyName} bytes; its header says ${header[kind.bodyBytesKey]}`);
  }
  if (createHash("sha256").update(body).digest("hex") !== header[kind.bodySha256Key]) {
    throw new Error(`Cache ${kind.bodyName}s do not match their checksum`);
  }
  return { header, body };
}

/**
 * Reads a cache file and verifies it with {@linkcode decodeCacheFile}, then
 * with `check` (the cache's own checks on the header and body). Never throws
 * for a missing or bad file.
 *
 * @param path The file.
 * @param kind The tag, format and header keys expected.
 * @param check Turns the verified header and body into the entry, throwing a plain Error naming the first problem.
 * @returns `hit` with the entry, `missing`, or `invalid` with the reason.
 * @example
 * ```ts
 * const found = await readCacheFile("/no/such.file", { tag: "FERTESTS", format: 1, bodySha256Key: "sha256", bodyName: "value" }, (h) => h);
 * console.assert(found.status === "missing");
 * ```
 */
export async function readCacheFile<T>(
  path: string,
  kind: CacheFileKind,
  check: (header: Record<string, unknown>, body: Uint8Array) => T,
): Promise<CacheRead<T>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    return { status: "missing" };
  }
  try {
    const { header, body } = decodeCacheFile(bytes, kind);
    return { status: "hit", entry: check(header, body) };
  } catch (error) {
    return { status: "invalid", reason: (error as Error).message };
  }
}
