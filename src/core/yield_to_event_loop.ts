/**
 * A macrotask turn for long loops of model work.
 *
 * On the CPU backends (tensorflow, cpu, wasm) `tensor.data()` resolves as a
 * microtask, so a loop that only awaits it never lets the event loop run:
 * signal handlers (a second Ctrl-C), timers and progress output wait until
 * the whole loop ends. Awaiting this once per batch costs well under a
 * millisecond and keeps them live.
 *
 * @module
 */

/**
 * Resolves after one turn of the event loop.
 *
 * @returns A promise that resolves on the next macrotask.
 * @example
 * ```ts
 * for (const batch of batches) {
 *   await predict(batch);
 *   await yieldToEventLoop();
 * }
 * ```
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
