/**
 * The run lifecycle, written once for every kind of run (single model,
 * transfer, ensemble): the manifest is written "running" before the work
 * starts, then marked completed, interrupted or failed with the durations.
 *
 * @module
 */
import type { RunManifest } from "./run_manifest.ts";
import { type RunHandle, writeRunJson } from "./run_store.ts";

/** What the work inside {@linkcode withRun} reports when it ends normally. */
export interface RunEnd<T> {
  /** What the caller gets back. */
  result: T;
  /** `interrupted` when training stopped on the abort signal. */
  status: "completed" | "interrupted";
  /** Seconds spent training; null when nothing trained (an ensemble). */
  trainSeconds: number | null;
  /** Seconds spent evaluating. */
  evalSeconds: number | null;
}

/**
 * Writes `manifest` (status "running") to the run folder, runs `work`, and
 * marks the manifest with how the work ended: completed or interrupted with
 * the finish time and durations, or failed with the error's message (then
 * the error is rethrown). When that last write fails too (a full disk), the
 * failure is logged and the run is left for `fer list` to report stale.
 *
 * @param run The run folder, from createRun.
 * @param manifest The initial manifest, status "running".
 * @param options When the run started (for the total duration), the log and the work.
 * @returns The work's result and the final manifest.
 * @example
 * ```ts
 * const { result, manifest: final } = await withRun(run, manifest, { startedAt, log: console.log }, async () => ({
 *   result: 42, status: "completed", trainSeconds: 1, evalSeconds: 0.5,
 * }));
 * console.assert(result === 42 && final.status === "completed");
 * ```
 */
export async function withRun<M extends RunManifest, T>(
  run: RunHandle,
  manifest: M,
  options: {
    startedAt: Date;
    log: (line: string) => void;
    work: () => Promise<RunEnd<T>>;
    /** Seconds the run spent before this process took it up (a resumed run's earlier epochs), added to the total. @default 0 */
    priorSeconds?: number;
  },
): Promise<{ result: T; manifest: M }> {
  await writeRunJson(run, "manifest", manifest);
  try {
    const end = await options.work();
    const finished = new Date();
    const final: M = {
      ...manifest,
      status: end.status,
      finishedAt: finished.toISOString(),
      durations: {
        totalSeconds: (options.priorSeconds ?? 0) + (finished.getTime() - options.startedAt.getTime()) / 1000,
        trainSeconds: end.trainSeconds,
        evalSeconds: end.evalSeconds,
      },
    };
    await writeRunJson(run, "manifest", final);
    return { result: end.result, manifest: final };
  } catch (error) {
    const failed: M = { ...manifest, status: "failed", finishedAt: new Date().toISOString(), note: String((error as Error).message ?? error) };
    // On a full disk this write can fail too; then the run's status is derived
    // instead: once this process has exited, list and show report it stale.
    await writeRunJson(run, "manifest", failed).catch((writeError: Error) => {
      options.log(`Could not mark run ${run.id} failed in its manifest.json (${writeError.message}); fer list will report it stale`);
    });
    throw error;
  }
}
