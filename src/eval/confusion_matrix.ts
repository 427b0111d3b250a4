/**
 * Confusion matrices from label arrays.
 *
 * @module
 */

/**
 * Counts predictions per (true, predicted) class pair.
 *
 * @param yTrue True class indices in [0, numClasses).
 * @param yPred Predicted class indices, same length as `yTrue`.
 * @param numClasses Number of classes.
 * @returns `matrix[t][p]` = number of samples of class t predicted as p.
 * @throws RangeError when the lengths differ or an index is out of range.
 * @example
 * ```ts
 * const m = confusionMatrix([0, 0, 1], [0, 1, 1], 2);
 * console.assert(m[0][1] === 1 && m[1][1] === 1);
 * ```
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`yTrue has ${yTrue.length} labels but yPred has ${yPred.length}; they must match`);
  }
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i], p = yPred[i];
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses)) {
      throw new RangeError(`Label pair (${t}, ${p}) at index ${i} is outside [0, ${numClasses})`);
    }
    matrix[t][p]++;
  }
  return matrix;
}

/**
 * Divides each row by its total, so row t gives the share of class t predicted
 * as each class (the diagonal is per-class recall). Empty rows stay all zero.
 *
 * @param matrix Counts from {@linkcode confusionMatrix}.
 * @returns A new matrix of row shares.
 * @example
 * ```ts
 * const n = normalizeRows([[1, 3], [0, 0]]);
 * console.assert(n[0][1] === 0.75 && n[1][0] === 0);
 * ```
 */
export function normalizeRows(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
}
