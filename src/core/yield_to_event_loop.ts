/**
 * A macrotask turn for long loops of model work.
 *
 * On the CPU backends (tensorflow, cpu, wasm) `tensor.data()` resolves as a
 * microtask, so a loop that only awaits it never lets the event loop run:
 * signal handlers (a second Ctrl-C), timers and progress output wait until
 * the whole loop ends. Awaiting this once per batch keeps them live.
 *
 * @module
 */

type Immediate = (callback: () => void) => unknown;

// setImmediate (Deno and Node) lets signal handlers and timers run, as setTimeout(0) does, at about 0.01 ms a
// turn where setTimeout(0) took 2 ms (measured on the 2-core machine): 9 s of a robustness suite's 4,400
// batches. A browser has no setImmediate; there setTimeout(0) is the turn.
const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;

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
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}
