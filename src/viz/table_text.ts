/**
 * A table as aligned plain text, for terminals, logs and viewers without HTML.
 *
 * @module
 */
import { tableCellText } from "./_table_cell_text.ts";
import type { Table } from "./table.ts";

/** Options of {@linkcode tableText}. */
export interface TableTextOptions {
  /** Put before every line (not the caption), e.g. two spaces under a heading. @default "" */
  indent?: string;
  /** Draw a rule of dashes under the header. @default true */
  rule?: boolean;
}

/**
 * The table as aligned plain text: columns two spaces apart, number cells
 * right-aligned and other cells left-aligned, trailing spaces trimmed.
 *
 * @param table The table.
 * @param options See {@linkcode TableTextOptions}.
 * @returns Lines joined by newlines, without a final one: caption, header, the rule, then rows.
 * @example
 * ```ts
 * console.assert(tableText({ headers: ["a", "b"], cells: [["x", 10]] }) === "a  b\n-  --\nx  10");
 * console.assert(tableText({ headers: ["a"], cells: [["x"]] }, { indent: "  ", rule: false }) === "  a\n  x");
 * ```
 */
export function tableText(table: Table, options: TableTextOptions = {}): string {
  const indent = options.indent ?? "";
  const rows = [table.headers.map(String), ...table.cells.map((row) => row.map((cell, c) => tableCellText(cell, table.decimals?.[c])))];
  const widths = table.headers.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[], numeric: readonly boolean[]) =>
    (indent + row.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ")).trimEnd();
  const lines = [
    line(rows[0], rows[0].map(() => false)),
    ...(options.rule ?? true ? [line(widths.map((w) => "-".repeat(w)), widths.map(() => false))] : []),
    ...table.cells.map((row, r) => line(rows[r + 1], row.map((cell) => typeof cell === "number"))),
  ];
  return [...(table.caption ? [table.caption] : []), ...lines].join("\n");
}
