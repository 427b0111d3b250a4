/**
 * Shows a table in a notebook as HTML, with a plain-text fallback.
 *
 * @module
 */
import { jupyterDisplay, type MediaBundle, type NotebookDisplay } from "./jupyter_display.ts";
import type { Table } from "../viz/table.ts";
import { tableHtml } from "../viz/table_html.ts";
import { tableText } from "../viz/table_text.ts";

/**
 * Displays a table. Cells are text, numbers (right-aligned, non-integers to
 * three decimals) or null (empty); a table with no rows says so.
 *
 * @param table Headers, cells and an optional caption (e.g. `comparisonTable(rows)`).
 * @param options `display`: where the bundle goes (default jupyterDisplay()).
 * @returns Resolves when displayed (nothing, so a cell's last line shows no value).
 * @example
 * ```ts
 * const shown: MediaBundle[] = [];
 * await displayTable({ headers: ["class", "images"], cells: [["happy", 3976]] }, { display: async (b) => void shown.push(b) });
 * console.assert(String(shown[0]["text/html"]).includes("<table"));
 * ```
 */
export async function displayTable(table: Table, options: { display?: NotebookDisplay } = {}): Promise<void> {
  const empty = table.cells.length === 0;
  const bundle: MediaBundle = {
    // Wide tables (the run comparison) scroll instead of being cut off.
    "text/html": `<div style="overflow-x:auto">${tableHtml(table)}</div>` + (empty ? '<p style="color:#666">(no rows)</p>' : ""),
    "text/plain": tableText(table) + (empty ? "\n(no rows)" : ""),
  };
  await (options.display ?? jupyterDisplay())(bundle);
}
