/**
 * Index of the largest value; the first one on ties.
 *
 * @param row Values (a probability row).
 * @returns The arg-max index; 0 for an empty row.
 * @example
 * ```ts
 * console.assert(argMax([0.1, 0.7, 0.2]) === 1);
 * ```
 */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}
