/**
 * Runs an experiment from a notebook cell with live progress, or resumes a
 * stopped one.
 *
 * @module
 */
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { runExperiment, type RunOutcome } from "../experiment/run_experiment.ts";
import { resumeExperiment } from "../experiment/resume_experiment.ts";
import { Callback } from "../train/callback.ts";
import { ConfigError } from "../core/errors.ts";
import { notebookProgress, type NotebookProgressOptions } from "./notebook_progress.ts";

/** Options of {@linkcode runInNotebook} and {@linkcode resumeInNotebook}. */
export interface RunInNotebookOptions extends NotebookProgressOptions {
  /** Render PNG/SVG plots into the run folder (HTML plots are always written). @default true */
  imagePlots?: boolean;
  /** Aborting stops training cleanly; the run is marked interrupted (and can be resumed). */
  signal?: AbortSignal;
  /** Training callbacks of your own, run after the live display's. @default [] */
  callbacks?: Callback[];
  /**
   * Interrupt the run once it has finished this many epochs in all, as the
   * kernel's stop button would: it is saved as interrupted, and
   * `resumeInNotebook` goes on with it (training in sittings). @default none
   */
  stopAfterEpochs?: number;
}

type Paths = { projectRoot: string; resultsRoot: string; cacheDir: string | null };

/**
 * `runExperiment` with its log and progress bar shown in one output that
 * updates in place; waits for the last update before returning, so nothing
 * lands in a later cell.
 *
 * @param config A config from `notebookRunConfig` or `parseRunConfig`.
 * @param paths Project, results and cache folders (from `notebookParams`).
 * @param options See {@linkcode RunInNotebookOptions}.
 * @returns The run's outcome (run handle, manifest, stop reason).
 * @example
 * ```ts
 * const outcome = await runInNotebook(await notebookRunConfig("small_cnn", params), params);
 * console.assert(outcome.manifest.status === "completed");
 * ```
 */
export async function runInNotebook(config: RunConfig, paths: Paths, options: RunInNotebookOptions = {}): Promise<RunOutcome> {
  return await shown(config.name, paths, options, (ctx) => runExperiment(config, ctx));
}

/**
 * `resumeExperiment` shown as {@linkcode runInNotebook} shows a run: goes on
 * with an interrupted, failed or stale run from its last finished epoch (the
 * live curves start with the epochs it had finished).
 *
 * @param runId The stopped run's id.
 * @param paths Project, results and cache folders (from `notebookParams`).
 * @param options See {@linkcode RunInNotebookOptions}.
 * @returns The run's outcome.
 * @example
 * ```ts
 * const outcome = await resumeInNotebook(stopped.run.id, params);
 * console.log(outcome.manifest.resumes);
 * ```
 */
export async function resumeInNotebook(runId: string, paths: Paths, options: RunInNotebookOptions = {}): Promise<RunOutcome> {
  return await shown(`${runId} (resumed)`, paths, options, (ctx) => resumeExperiment(runId, ctx));
}

async function shown(title: string, paths: Paths, options: RunInNotebookOptions, work: (ctx: RunContext) => Promise<RunOutcome>): Promise<RunOutcome> {
  const { imagePlots, signal, callbacks = [], stopAfterEpochs, ...display } = options;
  const progress = notebookProgress({ title, ...display });
  const stop = stopAfterEpochs === undefined ? null : stopAfter(stopAfterEpochs, signal);
  const ctx = progress.runContext(paths, { imagePlots, signal: stop?.signal ?? signal });
  let outcome: RunOutcome;
  try {
    outcome = await work({ ...ctx, callbacks: [...(ctx.callbacks ?? []), ...callbacks, ...(stop ? [stop.callback] : [])] });
  } catch (error) {
    // Show what was logged up to the failure; the run's error is the one to report.
    await progress.flush().catch(() => {});
    throw error;
  }
  await progress.flush();
  return outcome;
}

/** A signal that aborts when `signal` does or once `epochs` epochs have finished, and the callback that counts them. */
function stopAfter(epochs: number, signal: AbortSignal | undefined): { signal: AbortSignal; callback: Callback } {
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new ConfigError(`stopAfterEpochs is ${epochs}; pass a whole number of epochs >= 1, or leave it out to train to the end`);
  }
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  if (signal?.aborted) controller.abort();
  class StopAfterEpochs extends Callback {
    override onEpochEnd(epoch: number): void {
      if (epoch + 1 >= epochs) controller.abort();
    }
  }
  return { signal: controller.signal, callback: new StopAfterEpochs() };
}
