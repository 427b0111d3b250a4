/**
 * A table as plain data, and its HTML and text forms.
 *
 * @module
 */
import { escapeHtml } from "./_html.ts";

/**
 * A table: headers and rows of cells. Numbers are right-aligned; null is an
 * empty cell. A number prints as is when it is whole, else with three
 * decimals, unless `decimals` fixes its column's.
 */
export interface Table {
  /** Shown above the table. */
  caption?: string;
  headers: readonly string[];
  cells: readonly (readonly (string | number | null)[])[];
  /** Decimals per column for numbers (null: the default rule). @default none */
  decimals?: readonly (number | null)[];
}

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
        return `<td style="${STYLE.td}${align}">${escapeHtml(cellText(cell, table.decimals?.[c]))}</td>`;
      }).join("")
    }</tr>`
  );
  return `<table style="${STYLE.table}">${caption}<thead>${head}</thead><tbody>${rows.join("")}</tbody></table>`;
}

/**
 * The table as aligned plain text (for viewers without HTML and for logs).
 *
 * @param table The table.
 * @returns Lines joined by newlines: caption, header, a rule, then rows.
 * @example
 * ```ts
 * console.assert(tableText({ headers: ["a", "b"], cells: [["x", 10]] }) === "a  b\n-  --\nx  10");
 * ```
 */
export function tableText(table: Table): string {
  const rows = [table.headers.map(String), ...table.cells.map((row) => row.map((cell, c) => cellText(cell, table.decimals?.[c])))];
  const widths = table.headers.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  const line = (row: string[], numeric: boolean[]) =>
    row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  const lines = [
    line(rows[0], rows[0].map(() => false)),
    line(widths.map((w) => "-".repeat(w)), widths.map(() => false)),
    ...table.cells.map((row, r) => line(rows[r + 1], row.map((cell) => typeof cell === "number"))),
  ];
  return [...(table.caption ? [table.caption] : []), ...lines].join("\n");
}

function cellText(cell: string | number | null, decimals: number | null | undefined): string {
  if (cell === null) return "";
  if (typeof cell !== "number") return cell;
  if (typeof decimals === "number") return cell.toFixed(decimals);
  return Number.isInteger(cell) ? String(cell) : cell.toFixed(3);
}
