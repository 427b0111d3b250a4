/**
 * Escaping text for HTML and SVG: the one escaper that tables, report pages,
 * figure pages, notebook displays and video overlays share.
 *
 * @module
 */

/**
 * Escapes text for HTML or SVG element content and attribute values.
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
