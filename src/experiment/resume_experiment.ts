/**
 * Resuming a run that stopped before its last epoch (Ctrl-C, a crash, a
 * killed process, a full disk): its training goes on from the checkpoint it
 * saved after its last finished epoch, in the same run folder, and ends as
 * the uninterrupted run would have (on a deterministic backend, bit for bit).
 *
 * @module
 */
import { RunError } from "../core/errors.ts";
import { decodeFitState, disposeFitState, type FitState, readFitStateFacts } from "../train/fit_state.ts";
import { parseRunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { prepareRun, type RunOutcome, trainRunModel } from "./run_experiment.ts";
import type { CheckpointFacts } from "./run_checkpoint.ts";
import { codeVersion, type RunManifest } from "./run_manifest.ts";
import { RUN_FILES } from "./run_files.ts";
import { existsSync } from "node:fs";
import { currentRunProcess, openRun, readCheckpoint, readRunJson, runPath, runState, truncateHistory } from "./run_store.ts";
import { configDifferences } from "./config_differences.ts";
import { experimentHash } from "./find_identical_run.ts";
import { withRun } from "./with_run.ts";

/**
 * Goes on with an interrupted, failed or stale run from its checkpoint
 * (checkpoint.bin, written after every finished epoch of a run's recorded
 * training, transfer runs' included): the same config, data and seed; the
 * weights, optimizer slots, generator, learning rate, best weights so far and
 * callback states as they were after that epoch. Epochs of history.csv past the checkpoint (a crash
 * between the two writes) are dropped and trained again. The run is then
 * evaluated and written as a new run would be; the manifest keeps its start
 * time and adds an entry to `resumes`; its durations count the kept epochs'
 * seconds and this process's. Interrupted again, it can be resumed again.
 *
 * Everything is checked before the run folder is touched: the run exists and
 * is not completed or still running, config.json is the config it recorded,
 * it has a checkpoint of that config, and the dataset has the same
 * fingerprint.
 *
 * @param runId The run's id.
 * @param ctx See {@linkcode RunContext}.
 * @returns The run, its final manifest and why training stopped.
 * @throws {RunError} Saying what to do instead, when the run cannot be resumed.
 * @example
 * ```ts
 * const outcome = await resumeExperiment("20261205-070916-best_4class-e6bdf7", ctx);
 * console.log(outcome.manifest.status);
 * ```
 */
export async function resumeExperiment(runId: string, ctx: RunContext): Promise<RunOutcome> {
  const run = await openRun(ctx.resultsRoot, runId);
  const raw = await readRunJson<unknown>(run, "config");
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const again = `train it again as a new run with: deno task fer rerun ${run.id} --force`;
  if ((raw as { kind?: unknown } | null)?.kind === "ensemble") {
    throw new RunError(`Run ${run.id} is an ensemble: it trains nothing, so there is nothing to resume; make it again with: deno task fer rerun ${run.id} --force`);
  }
  if (manifest === undefined) throw new RunError(`Run ${run.id} has no ${RUN_FILES.manifest}: it stopped before training began; ${again}`);
  const { status } = await runState(run, manifest);
  if (status === "completed") {
    throw new RunError(
      `Run ${run.id} completed; there is nothing to resume. To train it further, start a new run from its weights: ` +
        `deno task fer run <config.json> --init-from ${run.id}`,
    );
  }
  if (status === "running") {
    const where = manifest.process ? ` (process ${manifest.process.pid} on ${manifest.process.host})` : "";
    throw new RunError(`Run ${run.id} is still running${where}; wait for it, or stop it (Ctrl-C) and resume it then`);
  }
  const edited = manifest.config === undefined ? [] : configDifferences(manifest.config, raw);
  if (edited.length > 0) {
    throw new RunError(
      `${run.id}/config.json differs from the config the run recorded in its manifest.json (edited after the run?):\n  ${edited.join("\n  ")}\n` +
        `A resumed run must go on with the config it started with; restore the file, or ${again}`,
    );
  }
  const config = parseRunConfig(raw, `${run.id}/config.json`);
  const bytes = await readCheckpoint(run);
  if (bytes === undefined) {
    throw new RunError(
      `Run ${run.id} has no ${RUN_FILES.checkpoint}: it stopped before its first epoch ended, or was made by a version ` +
        `that kept no checkpoints; ${again}`,
    );
  }
  const path = runPath(run, "checkpoint");
  // The header is checked first; the tensors are made once the backend has started (prepareRun).
  const decode = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw new RunError(`${(error as Error).message}; ${again}`);
    }
  };
  const { epochsDone, extra } = decode(() => readFitStateFacts(bytes, path));
  const facts = extra as Partial<CheckpointFacts>;
  if (facts.experiment !== experimentHash(config) || !Array.isArray(facts.dropoutCalls)) {
    throw new RunError(`${path} was saved by another config than ${run.id}/config.json; ${again}`);
  }
  if (epochsDone >= config.training.epochs) {
    ctx.log(`Run ${run.id} had finished all ${config.training.epochs} epochs; evaluating its model again`);
  }
  const prepared = await prepareRun(config, ctx, { initChain: [], resuming: true });
  let state: FitState;
  try {
    if (prepared.dataset.fingerprint !== manifest.dataset.fingerprint) {
      throw new RunError(
        `The dataset at ${prepared.dataset.root} has changed since run ${run.id} began (fingerprint ` +
          `${prepared.dataset.fingerprint.slice(0, 12)}, where the run recorded ${manifest.dataset.fingerprint.slice(0, 12)}): ` +
          `going on would train on other images; put the run's data back, or ${again}`,
      );
    }
    state = decode(() => decodeFitState(bytes, path)).state;
  } catch (error) {
    // Training takes a transfer run's backbone over; refused before it, the backbone is freed here.
    prepared.backbone?.dispose();
    throw error;
  }
  try {
    const backend = `${prepared.backend.name} (${prepared.backend.precision.used})`;
    const before = manifest.backend as { name?: string; precision?: { used?: string } };
    const backendBefore = `${before.name} (${before.precision?.used ?? "float32"})`;
    if (backend !== backendBefore) {
      ctx.log(`Note: the run began on ${backendBefore} and goes on with ${backend}; its figures will not match a run trained on one backend`);
    }
    const kept = await truncateHistory(run, state.epochsDone);
    const priorSeconds = kept.reduce((sum, row) => sum + (Number.isFinite(row.seconds) ? row.seconds : 0), 0);
    const resumedAt = new Date();
    const running: RunManifest = {
      ...manifest,
      status: "running",
      finishedAt: null,
      note: undefined,
      process: currentRunProcess(),
      resumes: [
        ...(manifest.resumes ?? []),
        { at: resumedAt.toISOString(), fromEpoch: state.epochsDone, after: status, code: codeVersion(ctx.projectRoot), backend },
      ],
    };
    ctx.log(`Resuming run ${run.id} (${status}) after epoch ${state.epochsDone} of ${config.training.epochs}, in ${run.dir}`);
    const { result: stopReason, manifest: final } = await withRun(run, running, {
      startedAt: resumedAt,
      priorSeconds,
      log: ctx.log,
      work: async () => {
        const end = await trainRunModel(config, run, prepared, { state, dropoutCalls: facts.dropoutCalls! }, ctx);
        return { ...end, trainSeconds: end.trainSeconds === null ? null : priorSeconds + end.trainSeconds };
      },
    });
    return { run, manifest: final, stopReason };
  } finally {
    disposeFitState(state);
  }
}

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
    const { status } = await runState(run, await readRunJson<RunManifest>(run, "manifest"));
    return (status === "interrupted" || status === "failed" || status === "stale") && existsSync(runPath(run, "checkpoint"));
  } catch {
    return false;
  }
}

/** Where a resume would go on: the checkpoint's epoch and the config's epochs; null when either cannot be read (resumeExperiment says why). */
async function resumePoint(resultsRoot: string, runId: string): Promise<{ epochsDone: number; epochs: number } | null> {
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
