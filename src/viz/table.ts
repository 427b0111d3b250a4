/**
 * A table as plain data: what every area hands to viz to show rows of
 * results, and what the renderers (HTML, plain text, markdown, CSV) take.
 *
 * @module
 */

/**
 * A table: headers and rows of cells. Numbers are right-aligned where the
 * format can align; null is an empty cell. A number prints as is when it is
 * whole, else with three decimals, unless `decimals` fixes its column's.
 */
export interface Table {
  /** Shown above the table (HTML and plain text; markdown and CSV leave it out). @default none */
  caption?: string;
  /** Column titles. */
  headers: readonly string[];
  /** One array per row, in header order. */
  cells: readonly (readonly (string | number | null)[])[];
  /** Decimals per column for numbers (null: the default rule). @default none */
  decimals?: readonly (number | null)[];
}
