/**
 * Small HTML helpers shared by the notebook displays and the report writer.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @param text Any text.
 * @returns The text with `&`, `<`, `>` and `"` escaped.
 * @example
 * ```ts
 * console.assert(escapeHtml('<a href="x">') === "&lt;a href=&quot;x&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/**
 * JSON for a `<script type="application/json">` element: `<` is escaped, so no
 * value can close the element.
 *
 * @param value Any JSON value.
 * @returns The JSON text.
 * @example
 * ```ts
 * console.assert(scriptJson({ a: "</script>" }) === '{"a":"\\u003c/script>"}');
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}

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
