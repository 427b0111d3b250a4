/**
 * A table as CSV, for spreadsheets and pandas.
 *
 * @module
 */
import { tableCellText } from "./_table_cell_text.ts";
import type { Table } from "./table.ts";

/**
 * The table as CSV with RFC 4180 quoting: a field with a comma, a quote or a
 * line break is quoted, its quotes doubled. The caption is left out.
 *
 * @param table The table.
 * @returns A header line and one line per row, each ending with `\n`.
 * @example
 * ```ts
 * console.assert(tableCsv({ headers: ["a", "b"], cells: [['x,"y"', 1]] }) === 'a,b\n"x,""y""",1\n');
 * ```
 */
export function tableCsv(table: Table): string {
  const field = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = table.cells.map((row) => table.headers.map((_, c) => tableCellText(row[c] ?? null, table.decimals?.[c])));
  return [table.headers, ...rows].map((line) => line.map(field).join(",")).join("\n") + "\n";
}
