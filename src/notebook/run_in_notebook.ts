/**
 * Runs an experiment from a notebook cell with live progress.
 *
 * @module
 */
import type { RunConfig } from "../experiment/run_config.ts";
import { runExperiment, type RunOutcome } from "../experiment/run_experiment.ts";
import { notebookProgress, type NotebookProgressOptions } from "./notebook_progress.ts";

/** Options of {@linkcode runInNotebook}. */
export interface RunInNotebookOptions extends NotebookProgressOptions {
  /** Render PNG/SVG plots into the run folder (HTML plots are always written). @default true */
  imagePlots?: boolean;
  /** Aborting stops training cleanly; the run is marked interrupted. */
  signal?: AbortSignal;
}

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
export async function runInNotebook(
  config: RunConfig,
  paths: { projectRoot: string; resultsRoot: string; cacheDir: string | null },
  options: RunInNotebookOptions = {},
): Promise<RunOutcome> {
  const { imagePlots, signal, ...display } = options;
  const progress = notebookProgress({ title: config.name, ...display });
  let outcome: RunOutcome;
  try {
    outcome = await runExperiment(config, progress.runContext(paths, { imagePlots, signal }));
  } catch (error) {
    // Show what was logged up to the failure; the run's error is the one to report.
    await progress.flush().catch(() => {});
    throw error;
  }
  await progress.flush();
  return outcome;
}
