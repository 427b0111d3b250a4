/**
 * Base64 text of bytes, for `data:` URLs in pages and Jupyter image bundles.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/**
 * Base64 of bytes, for `data:` URLs and Jupyter image bundles.
 *
 * @param bytes The bytes.
 * @returns Base64 text without line breaks.
 * @example
 * ```ts
 * console.assert(toBase64(Uint8Array.of(1, 2, 3)) === "AQID");
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
