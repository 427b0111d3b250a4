/**
 * Solves a symmetric positive-definite linear system (for Newton steps).
 *
 * @module
 */

/**
 * Solves `A x = b` by Cholesky factorisation `A = L Lᵀ`.
 *
 * @param matrix `A`, row-major, `size x size`, symmetric positive definite (only the lower triangle is read).
 * @param rhs `b`, length `size`.
 * @returns `x`.
 * @throws Error when `A` is not positive definite (a pivot is not above 0).
 * @example
 * ```ts
 * const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1));
 * console.assert(Math.abs(x[0] - 0.5) < 1e-12 && Math.abs(x[1]) < 1e-12);
 * ```
 */
export function choleskySolve(matrix: Float64Array, rhs: Float64Array): Float64Array {
  const n = rhs.length;
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j];
      for (let k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error(`Matrix is not positive definite (pivot ${sum} at row ${i}); add L2 regularisation`);
        lower[i * n + i] = Math.sqrt(sum);
      } else lower[i * n + j] = sum / lower[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i];
    for (let k = 0; k < i; k++) sum -= lower[i * n + k] * y[k];
    y[i] = sum / lower[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= lower[k * n + i] * x[k];
    x[i] = sum / lower[i * n + i];
  }
  return x;
}
