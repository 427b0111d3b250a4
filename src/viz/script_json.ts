/**
 * JSON that is safe inside a `<script>` element.
 *
 * @module
 */

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
