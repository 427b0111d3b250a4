/**
 * Whether and where a stopped run can be resumed, checked without touching
 * it: a sweep asks before running an unfinished trial again, the reuse of
 * sources and ensemble members before training a config afresh, and `fer
 * resume` before a sitting that would train nothing. The resuming itself is
 * resumeExperiment's (src/experiment/run_experiment.ts).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { RunError } from "../core/errors.ts";
import { readFitStateFacts } from "../train/fit_state.ts";
import { parseRunConfig } from "./run_config.ts";
import type { RunManifest } from "./run_manifest.ts";
import { openRun, readCheckpoint, readRunJson, type RunHandle, runPath, runState } from "./run_store.ts";

/**
 * Whether `fer resume` can take a run up: it stopped before completing
 * (interrupted, failed, or stale: its process is gone) and kept its training
 * checkpoint. A sweep asks this before running an unfinished trial again.
 * The full checks (config, dataset, the checkpoint's contents) are
 * {@linkcode resumeExperiment}'s.
 *
 * @param resultsRoot Results folder.
 * @param runId The run's id.
 * @returns False also for a run that does not exist or cannot be read.
 * @example
 * ```ts
 * if (await isResumable("results", record.runId)) await resumeExperiment(record.runId, ctx);
 * ```
 */
export async function isResumable(resultsRoot: string, runId: string): Promise<boolean> {
  try {
    const run = await openRun(resultsRoot, runId);
    return await canResume(run, await readRunJson<RunManifest>(run, "manifest"));
  } catch {
    return false;
  }
}

/**
 * {@linkcode isResumable} for a run whose manifest the caller has read already.
 *
 * @param run The run.
 * @param manifest Its manifest (undefined when it has none).
 * @returns Whether it stopped before completing and kept its training checkpoint.
 * @example
 * ```ts
 * const run = await openRun("results", runId);
 * console.log(await canResume(run, await readRunJson<RunManifest>(run, "manifest")));
 * ```
 */
export async function canResume(run: RunHandle, manifest: RunManifest | undefined): Promise<boolean> {
  const { status } = await runState(run, manifest);
  return (status === "interrupted" || status === "failed" || status === "stale") && existsSync(runPath(run, "checkpoint"));
}

/**
 * Where a resume would go on: the epochs the run's checkpoint was saved
 * after, and its config's epochs. Reads the checkpoint (its header says).
 *
 * @param resultsRoot Results folder.
 * @param runId The run's id.
 * @returns The two counts; null when either cannot be read (resumeExperiment says why).
 * @example
 * ```ts
 * const point = await resumePoint("results", runId);
 * if (point) console.log(`${point.epochs - point.epochsDone} epochs to go`);
 * ```
 */
export async function resumePoint(resultsRoot: string, runId: string): Promise<{ epochsDone: number; epochs: number } | null> {
  try {
    const run = await openRun(resultsRoot, runId);
    const bytes = await readCheckpoint(run);
    if (bytes === undefined) return null;
    const config = parseRunConfig(await readRunJson<unknown>(run, "config"), `${run.id}/config.json`);
    return { epochsDone: readFitStateFacts(bytes, runPath(run, "checkpoint")).epochsDone, epochs: config.training.epochs };
  } catch {
    return null;
  }
}

/**
 * Refuses a sitting that would train nothing: a last epoch at or before the
 * one the run's checkpoint was saved after. Checked before resuming, so a
 * mistyped limit costs no evaluation and adds no resumption to the manifest.
 *
 * @param resultsRoot Results folder.
 * @param runId The run to resume.
 * @param afterEpoch The sitting's last epoch (undefined: no epoch limit).
 * @param name The limit's name as the user wrote it ("--stop-after-epoch").
 * @throws {RunError} Naming the epoch the run is at and the epochs it has.
 * @example
 * ```ts
 * await refuseEmptySitting("results", runId, 30, "--stop-after-epoch");
 * ```
 */
export async function refuseEmptySitting(resultsRoot: string, runId: string, afterEpoch: number | undefined, name: string): Promise<void> {
  if (afterEpoch === undefined) return;
  const point = await resumePoint(resultsRoot, runId);
  if (point !== null && afterEpoch <= point.epochsDone) {
    throw new RunError(
      `Run ${runId} has finished ${point.epochsDone} of its ${point.epochs} epochs; ${name} ${afterEpoch} would train none more: ` +
        `give an epoch after ${point.epochsDone}, or leave it out to train to the end`,
    );
  }
}
