/**
 * Identifies a dataset by what a decode would read: its files and how they are decoded.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ResolvedDecodeOptions } from "./decode_image.ts";

/** One file as the fingerprint sees it. */
export interface FingerprintFile {
  /** Path relative to the dataset root, with `/` separators. */
  relativePath: string;
  /** The file's bytes, or null when the file could not be read. */
  bytes: Uint8Array | null;
}

/** What besides the files defines a decoded dataset. */
export interface FingerprintOptions {
  /** Class names in label order. */
  classes: readonly string[];
  /** The resolved decode options. */
  decode: ResolvedDecodeOptions;
}

/** Bumped when the hashed layout changes, so old and new fingerprints never collide. */
const LAYOUT = "fer-dataset-fingerprint/1";

/**
 * SHA-256 over, in a fixed order: a layout tag, the class list, the decode
 * options (size, channels, equalize), then for each file sorted by relative
 * path (byte order), its path and its bytes. Every string and byte run is
 * length-prefixed, so no two different inputs hash the same stream.
 *
 * It hashes file bytes, not decoded pixels, so a reload can check its cache
 * without decoding anything. A file that could not be read is hashed as
 * unreadable; once it becomes readable the fingerprint changes.
 *
 * @param files Every file of the dataset, in any order.
 * @param options Classes and decode options.
 * @returns 64 lower-case hex digits.
 * @example
 * ```ts
 * const decode = { size: 48, channels: 1, equalize: false } as const;
 * const a = datasetFingerprint([{ relativePath: "train/happy/1.png", bytes: Uint8Array.of(1) }], { classes: ["happy"], decode });
 * const b = datasetFingerprint([{ relativePath: "train/happy/1.png", bytes: Uint8Array.of(2) }], { classes: ["happy"], decode });
 * console.assert(a.length === 64 && a !== b);
 * ```
 */
export function datasetFingerprint(files: readonly FingerprintFile[], options: FingerprintOptions): string {
  const hash = createHash("sha256");
  const encoder = new TextEncoder();
  const length = new DataView(new ArrayBuffer(8));
  const putLength = (n: number) => {
    length.setBigInt64(0, BigInt(n), true);
    hash.update(new Uint8Array(length.buffer.slice(0)));
  };
  const putBytes = (bytes: Uint8Array) => {
    putLength(bytes.length);
    hash.update(bytes);
  };
  const putText = (text: string) => putBytes(encoder.encode(text));

  putText(LAYOUT);
  putLength(options.classes.length);
  for (const name of options.classes) putText(name);
  const { size, channels, equalize } = options.decode;
  putText(JSON.stringify({ size, channels, equalize }));
  const sorted = [...files].sort((a, b) => compare(a.relativePath, b.relativePath));
  putLength(sorted.length);
  for (const file of sorted) {
    putText(file.relativePath);
    if (file.bytes === null) putLength(-1);
    else putBytes(file.bytes);
  }
  return hash.digest("hex");
}

/** Byte-order comparison, so the order does not depend on the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
