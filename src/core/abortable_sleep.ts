/**
 * A pause that a stop signal cuts short, for loops that poll (a Ray job's
 * status, another process's training): the caller checks `signal.aborted`
 * after it and stops there.
 *
 * @module
 */

/**
 * Waits `ms` milliseconds, or until `signal` aborts, whichever comes first.
 * Never rejects.
 *
 * @param ms How long to wait.
 * @param signal Ends the wait early when it aborts (already aborted: resolves at once).
 * @returns When the time is up or the signal aborted.
 * @example
 * ```ts
 * await abortableSleep(2000, controller.signal);
 * if (controller.signal.aborted) return;
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
