/**
 * The text of one table cell, shared by the table renderers of viz/.
 *
 * @module
 */

/**
 * A cell as text: null is empty, text is as is, a number is printed with the
 * column's decimals, else as is when whole and with three decimals otherwise.
 *
 * @param cell The cell.
 * @param decimals The column's decimals (null or undefined: the default rule).
 * @returns The text.
 * @example
 * ```ts
 * console.assert(tableCellText(0.12345, undefined) === "0.123" && tableCellText(4, 2) === "4.00");
 * ```
 */
export function tableCellText(cell: string | number | null, decimals: number | null | undefined): string {
  if (cell === null) return "";
  if (typeof cell !== "number") return cell;
  if (typeof decimals === "number") return cell.toFixed(decimals);
  return Number.isInteger(cell) ? String(cell) : cell.toFixed(3);
}
