/**
 * A script's source as an inline `<script>` element.
 *
 * @module
 */

/**
 * Wraps JavaScript source in a `<script>` element. A literal `</script` inside
 * the source (plotly.min.js has some) would end the element early; it is
 * written `<\/script`, which means the same in JavaScript.
 *
 * @param source JavaScript source.
 * @returns The element.
 * @example
 * ```ts
 * console.assert(inlineScript('x = "</script>"') === '<script>x = "<\\/script>"</script>');
 * ```
 */
export function inlineScript(source: string): string {
  return `<script>${source.replaceAll("</script", "<\\/script")}</script>`;
}
