/**
 * A table as a GitHub-flavoured markdown pipe table, for reports, model
 * cards and comparison files.
 *
 * @module
 */
import { tableCellText } from "./_table_cell_text.ts";
import type { Table } from "./table.ts";

/** Options of {@linkcode tableMarkdown}. */
export interface TableMarkdownOptions {
  /**
   * Pad every cell to its column's width (at least 3), so the raw text lines
   * up in a terminal too; unpadded tables are smaller. @default false
   */
  pad?: boolean;
  /**
   * Alignment per column; the last entry holds for the columns after it, so
   * `["left", "right"]` right-aligns all but the first. A right-aligned
   * column gets a `:` in the rule and, when padded, its cells padded on the
   * left. @default all left
   */
  align?: readonly ("left" | "right")[];
}

/**
 * The table as markdown: a header line, the rule, one line per row. `|` in
 * a cell is escaped, null is an empty cell; the caption is left out (give it
 * a heading of its own).
 *
 * @param table The table.
 * @param options See {@linkcode TableMarkdownOptions}.
 * @returns Lines joined with `\n`, without a final newline.
 * @example
 * ```ts
 * console.assert(tableMarkdown({ headers: ["a", "b"], cells: [["x|y", 1]] }) === "| a | b |\n| --- | --- |\n| x\\|y | 1 |");
 * const padded = tableMarkdown({ headers: ["split", "n"], cells: [["train", "12"]] }, { pad: true, align: ["left", "right"] });
 * console.assert(padded.split("\n")[1] === "| ----- | --: |" && padded.split("\n")[2] === "| train |  12 |");
 * ```
 */
export function tableMarkdown(table: Table, options: TableMarkdownOptions = {}): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const header = table.headers.map(escape);
  const rows = table.cells.map((row) => table.headers.map((_, c) => escape(tableCellText(row[c] ?? null, table.decimals?.[c]))));
  const align = table.headers.map((_, c) => options.align?.[Math.min(c, options.align.length - 1)] ?? "left");
  const widths = table.headers.map((_, c) => (options.pad ? Math.max(3, header[c].length, ...rows.map((row) => row[c].length)) : 3));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => (!options.pad ? cell : align[c] === "right" ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, c) => (align[c] === "right" ? "-".repeat(w - 1) + ":" : "-".repeat(w))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
