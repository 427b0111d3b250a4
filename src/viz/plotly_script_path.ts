/**
 * Locates plotly.js in node_modules, for inlining into offline pages.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/**
 * Absolute path of `plotly.min.js` from the installed plotly.js-dist-min.
 *
 * @returns The file path.
 * @example
 * ```ts
 * console.assert(plotlyScriptPath().endsWith("plotly.min.js"));
 * ```
 */
export function plotlyScriptPath(): string {
  return fileURLToPath(new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url));
}
