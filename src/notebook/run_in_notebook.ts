/**
 * Runs an experiment from a notebook cell with live progress, or resumes a
 * stopped one.
 *
 * @module
 */
import { stoppedIdenticalRunNote } from "../experiment/find_identical_run.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunContext } from "../experiment/run_context.ts";
import { resumeExperiment, runExperiment, type RunOutcome } from "../experiment/run_experiment.ts";
import { refuseEmptySitting } from "../experiment/resumable_run.ts";
import type { Callback } from "../train/callback.ts";
import { ConfigError } from "../core/errors.ts";
import { type SittingLimit, sittingStop } from "../train/sitting_limit.ts";
import { withClockEnd } from "../train/sitting_times.ts";
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
  /**
   * Interrupt the run, the same way, at the end of the epoch after which the
   * next one, and then scoring the kept weights over the run's views on
   * validation, would end past this many seconds from the call (loading data
   * counts; an epoch is never cut). @default none
   */
  timeBudgetSeconds?: number;
  /**
   * Interrupt the run the same way for a clock time: `"07:30"` (the next one
   * to come, in this machine's time zone) or a date and time
   * (`"2026-12-06T07:30"`, with `Z` or `+01:00` for another zone); with
   * `timeBudgetSeconds`, the sooner end. A time already past is refused. @default none
   */
  until?: string;
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
  return await shown(config.name, paths, options, async (ctx) => {
    const note = await stoppedIdenticalRunNote(paths.resultsRoot, config, paths.projectRoot, (id) => `resumeInNotebook("${id}", params)`);
    if (note) ctx.log(note);
    return await runExperiment(config, ctx);
  });
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
  await refuseEmptySitting(paths.resultsRoot, runId, options.stopAfterEpochs, "stopAfterEpochs");
  return await shown(`${runId} (resumed)`, paths, options, (ctx) => resumeExperiment(runId, ctx));
}

async function shown(title: string, paths: Paths, options: RunInNotebookOptions, work: (ctx: RunContext) => Promise<RunOutcome>): Promise<RunOutcome> {
  const { imagePlots, signal, callbacks = [], stopAfterEpochs, timeBudgetSeconds, until, ...display } = options;
  const limit = notebookSitting({ stopAfterEpochs, timeBudgetSeconds, until });
  const stop = limit === null ? null : sittingStop(limit, { signal, names: { afterEpoch: "stopAfterEpochs", seconds: "timeBudgetSeconds" } });
  const progress = notebookProgress({ title, ...display });
  const ctx = progress.runContext(paths, { imagePlots, signal: stop?.signal ?? signal });
  let outcome: RunOutcome;
  try {
    outcome = await work({ ...ctx, callbacks: [...(ctx.callbacks ?? []), ...callbacks, ...(stop ? [stop.callback] : [])] });
  } catch (error) {
    // Show what was logged up to the failure; the run's error is the one to report.
    await progress.flush().catch(() => {});
    throw error;
  }
  const why = stop?.reason();
  if (why) ctx.log(`Sitting over: ${why}; resumeInNotebook("${outcome.run.id}", params) goes on with it`);
  await progress.flush();
  return outcome;
}

/**
 * The sitting a notebook's options ask for: `until` becomes the seconds from
 * `now` to it, and the sooner of it and `timeBudgetSeconds` is kept.
 *
 * @param options The options' sitting limits.
 * @param now The time the call started (tests give their own).
 * @returns The limit, or null when none is given.
 * @throws {ConfigError} For an `until` that is not a time, or is past.
 * @example
 * ```ts
 * notebookSitting({ until: "2026-12-06T07:30Z" }, new Date("2026-12-06T07:00Z")); // { seconds: 1800, endsAt: "2026-12-06T07:30Z" }
 * ```
 */
export function notebookSitting(
  options: Pick<RunInNotebookOptions, "stopAfterEpochs" | "timeBudgetSeconds" | "until">,
  now: Date = new Date(),
): SittingLimit | null {
  const { stopAfterEpochs, timeBudgetSeconds, until } = options;
  if (stopAfterEpochs === undefined && timeBudgetSeconds === undefined && until === undefined) return null;
  const limit: SittingLimit = { afterEpoch: stopAfterEpochs, seconds: timeBudgetSeconds };
  if (until === undefined) return limit;
  const withEnd = withClockEnd(limit, until, "until", now);
  if (withEnd.endsAt !== undefined && withEnd.seconds === 0) {
    throw new ConfigError(`until ${until} has passed; give a time to come, or leave it out to train to the end`);
  }
  return withEnd;
}
