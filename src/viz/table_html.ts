/**
 * A table as one HTML element, for notebooks, report pages and exports.
 *
 * @module
 */
import { tableCellText } from "./_table_cell_text.ts";
import { escapeHtml } from "./escape_html.ts";
import type { Table } from "./table.ts";

/** Inline styles, so the table looks the same in Jupyter, an exported page and the report. */
const STYLE = {
  table: "border-collapse:collapse;font:13px/1.4 system-ui,sans-serif;margin:0.5em 0",
  caption: "caption-side:top;text-align:left;font-weight:600;padding:0 0 4px 0",
  th: "border-bottom:2px solid #444;padding:3px 10px;text-align:left;white-space:nowrap",
  td: "border-bottom:1px solid #ddd;padding:3px 10px;white-space:nowrap",
};

/**
 * The table as one `<table>` element with inline styles; all text is escaped.
 *
 * @param table The table.
 * @returns HTML text.
 * @example
 * ```ts
 * const html = tableHtml({ headers: ["class", "n"], cells: [["happy", 3]] });
 * console.assert(html.includes('<td style="border-bottom:1px solid #ddd;padding:3px 10px;white-space:nowrap;text-align:right">3</td>'));
 * ```
 */
export function tableHtml(table: Table): string {
  const caption = table.caption ? `<caption style="${STYLE.caption}">${escapeHtml(table.caption)}</caption>` : "";
  const head = `<tr>${table.headers.map((h) => `<th style="${STYLE.th}">${escapeHtml(h)}</th>`).join("")}</tr>`;
  const rows = table.cells.map((row) =>
    `<tr>${
      row.map((cell, c) => {
        const align = typeof cell === "number" ? ";text-align:right" : "";
        return `<td style="${STYLE.td}${align}">${escapeHtml(tableCellText(cell, table.decimals?.[c]))}</td>`;
      }).join("")
    }</tr>`
  );
  return `<table style="${STYLE.table}">${caption}<thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`;
}
