/**
 * Splits `size` items into consecutive batches.
 *
 * @param size Number of items (>= 0).
 * @param batchSize Items per batch (integer >= 1).
 * @returns `[start, end)` pairs, end exclusive; the last batch may be smaller.
 * @throws RangeError naming the value when batchSize is not a positive integer.
 * @example
 * ```ts
 * console.assert(JSON.stringify(makeBatches(5, 2)) === "[[0,2],[2,4],[4,5]]");
 * ```
 */
export function makeBatches(size: number, batchSize: number): [number, number][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`Batch size ${batchSize} is not a positive integer`);
  }
  const batches: [number, number][] = [];
  for (let start = 0; start < size; start += batchSize) batches.push([start, Math.min(size, start + batchSize)]);
  return batches;
}
