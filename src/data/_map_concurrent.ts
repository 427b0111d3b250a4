/**
 * Runs an async function over items with a bounded number in flight.
 *
 * @module
 */

/** Options for {@linkcode mapConcurrent}. */
export interface MapConcurrentOptions {
  /** Most calls in flight at once. @default 8 */
  limit?: number;
}

/**
 * Maps `items` through `fn`, at most `limit` calls at a time, and returns the
 * results in the order of `items` (not of completion). The first rejection
 * rejects the whole map after the calls in flight settle.
 *
 * @param items Inputs.
 * @param fn Async function of an item and its index.
 * @param options See {@linkcode MapConcurrentOptions}.
 * @returns The results, in input order.
 * @example
 * ```ts
 * const doubled = await mapConcurrent([1, 2, 3], async (x) => 2 * x, { limit: 2 });
 * console.assert(doubled.join() === "2,4,6");
 * ```
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: MapConcurrentOptions = {},
): Promise<R[]> {
  const limit = Math.max(1, options.limit ?? 8);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  const workers = Array.from({ length: Math.min(limit, items.length) }, () => worker());
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) throw failure.reason;
  return results;
}
