/**
 * Formats rows as a padded Markdown pipe table, readable both rendered and
 * as plain text in a terminal.
 *
 * @module
 */

/**
 * Builds a Markdown table. Columns after the first are right-aligned (they
 * hold numbers in every table of the workbench); cells are padded to the
 * column width so the raw text lines up.
 *
 * @param header Column titles.
 * @param rows Cells, one array per row, same length as `header`.
 * @returns The table, lines joined with `\n`, no trailing newline.
 * @example
 * ```ts
 * const table = markdownTable(["split", "n"], [["train", "12"]]);
 * console.assert(table.split("\n")[2] === "| train | 12 |");
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, c) => Math.max(3, title.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    "| " + widths.map((w, c) => (c === 0 ? (cells[c] ?? "").padEnd(w) : (cells[c] ?? "").padStart(w))).join(" | ") +
    " |";
  const rule = "| " + widths.map((w, c) => (c === 0 ? "-".repeat(w) : "-".repeat(w - 1) + ":")).join(" | ") + " |";
  return [line(header), rule, ...rows.map(line)].join("\n");
}
