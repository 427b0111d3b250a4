/**
 * Finds the finished run another run's config points at: the run of
 * `training.initFrom` (its starting weights) and of each `training.distill`
 * teacher. One resolver, so both fields read a run id or a config path the
 * same way, reuse an identical earlier run the same way and refuse the same
 * cycles.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { abortableSleep } from "../core/abortable_sleep.ts";
import { ConfigError, RunNotStartedError } from "../core/errors.ts";
import { takeLock } from "../core/process_lock.ts";
import { readJsonFile } from "../core/read_json_file.ts";
import { pathExists } from "../data/path_exists.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { experimentHash, findIdenticalRun, findResumableIdenticalRun, findTrainingIdenticalRun, namesRunConfig } from "./find_identical_run.ts";
import { readRunConfig } from "./read_run_config.ts";
import { parseRunConfig, type RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { openRun, readRunJson, type RunHandle, runPath } from "./run_store.ts";

/** How a source run was found. */
export type SourceRunOrigin = "run" | "reused" | "trained";

/** A finished run named by another run's config. */
export interface SourceRun {
  /** The run, with a saved model. */
  run: RunHandle;
  /**
   * The config it was trained with, as saved in its folder; with `readsViews`, for a source named by a config
   * path, with that config's test-time views (`tta`), which a reused run may have been saved without.
   */
  config: RunConfig;
  /** `run`: named by id; `reused`: an earlier run of the named config; `trained`: trained now from it. */
  origin: SourceRunOrigin;
}

/**
 * Trains a source config (runExperiment), or, given `stopped`, goes on with
 * that earlier run of it from its checkpoint (resumeExperiment).
 */
export type SourceTrainer = (config: RunConfig, stopped?: RunHandle) => Promise<{ run: RunHandle; stopReason: string }>;

/** What {@linkcode resolveSourceRun} needs from its caller. */
export interface ResolveSourceRunOptions {
  /** The config field that names the source, for messages (`training.initFrom`). */
  field: string;
  /**
   * Trains a source config that has no completed run yet (runExperiment), or
   * goes on with the run of it that stopped before completing with its
   * checkpoint, when there is one (`stopped`: resumeExperiment).
   */
  train: SourceTrainer;
  /** Experiment hashes of the runs waiting for this one (a cycle guard); the last is the asking run's. */
  chain: readonly string[];
  /**
   * Throws when the source config cannot serve the asking run. Called on a
   * config path's config before anything is trained for it, and on the
   * found run's saved config.
   */
  check: (sourceText: string, sourceConfig: RunConfig) => void;
  /**
   * The source's model will be read over test-time views (a teacher scoring images): a source named by a config
   * path then takes that config's `tta`, which a run reused for it may not have been saved with. @default false
   */
  readsViews?: boolean;
  /** How often a run waiting for another process's training of the same source looks again, in ms. @default 15000 */
  pollMs?: number;
}

/**
 * Resolves `reference` to a finished run with a saved model. A value ending
 * in `.json` is a run config (relative to the project): its newest identical
 * completed run is used, else it is trained first (going on from the
 * checkpoint of a run of it that stopped before completing, when there is
 * one); any other value is a run id.
 *
 * @param reference A run id or a run config's path.
 * @param ctx Paths and logging.
 * @param options The field's name, how to train, the cycle guard and the fit check.
 * @returns The run, its config and how it was found.
 * @throws {ConfigError} For an unknown run, a config that cannot be read, a cycle, a
 *   source the check refuses, an interrupted source training or a source without a saved model.
 * @example
 * ```ts
 * const source = await resolveSourceRun("experiments/small_cnn.json", ctx, { field: "training.initFrom", train, chain: [], check: () => {} });
 * ```
 */
export async function resolveSourceRun(
  reference: string,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "log" | "signal">,
  options: ResolveSourceRunOptions,
): Promise<SourceRun> {
  let run: RunHandle;
  let origin: SourceRunOrigin;
  let named: RunConfig | undefined;
  if (namesRunConfig(reference)) {
    const path = resolve(ctx.projectRoot, reference);
    refuseEnsemble(await readJsonFile(path), reference, options.field);
    const sourceConfig = named = await readRunConfig(path);
    if (options.chain.includes(experimentHash(sourceConfig))) {
      throw new ConfigError(
        `${options.field} ${reference} leads back to this run's own config: a run cannot learn from itself; ` +
          "name a different config or a finished run's id",
      );
    }
    // Checked before the source is trained: a source that cannot serve this run should not cost a training first.
    options.check(reference, sourceConfig);
    ({ run, origin } = await reuseOrTrain(reference, sourceConfig, ctx, options));
  } else {
    run = await openRun(ctx.resultsRoot, reference);
    origin = "run";
  }
  return await sourceRunOf(run, origin, named, reference, ctx, options);
}

/**
 * The run a source reference names as it stands, training nothing and waiting for nothing: a run id's run, or
 * the newest completed run of a config path (undefined when it has none yet). What `fer run --estimate` needs
 * to time a teacher's pass without starting one.
 *
 * @param reference A run id or a run config's path.
 * @param ctx Paths and logging.
 * @param options The field's name, the fit check and whether the model is read over views (as {@linkcode resolveSourceRun}'s).
 * @returns The source run, or undefined for a config path with no completed run.
 * @throws {ConfigError} As {@linkcode resolveSourceRun}, less what training would raise.
 * @example
 * ```ts
 * const teacher = await findSourceRun("experiments/best_fer2013.json", ctx, { field: "training.distill.teachers", check: () => {}, readsViews: true });
 * ```
 */
export async function findSourceRun(
  reference: string,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "log">,
  options: Pick<ResolveSourceRunOptions, "field" | "check" | "readsViews">,
): Promise<SourceRun | undefined> {
  if (!namesRunConfig(reference)) return await sourceRunOf(await openRun(ctx.resultsRoot, reference), "run", undefined, reference, ctx, options);
  const path = resolve(ctx.projectRoot, reference);
  refuseEnsemble(await readJsonFile(path), reference, options.field);
  const named = await readRunConfig(path);
  const earlier = await findIdenticalRun(ctx.resultsRoot, named, ctx.projectRoot);
  return earlier ? await sourceRunOf(earlier, "reused", named, reference, ctx, options) : undefined;
}

/** A found source run with its saved config (the config path's views where the model is read over them), checked. */
async function sourceRunOf(
  run: RunHandle,
  origin: SourceRunOrigin,
  named: RunConfig | undefined,
  reference: string,
  ctx: Pick<RunContext, "log">,
  options: Pick<ResolveSourceRunOptions, "field" | "check" | "readsViews">,
): Promise<SourceRun> {
  const saved = await readRunJson<unknown>(run, "config");
  refuseEnsemble(saved, `run ${run.id}`, options.field);
  let config: RunConfig;
  try {
    config = parseRunConfig(saved, runPath(run, "config"));
  } catch (error) {
    throw new ConfigError(`${options.field}: the config of run ${run.id} no longer reads as a run config (${(error as Error).message})`);
  }
  if (options.readsViews && named && JSON.stringify(named.tta) !== JSON.stringify(config.tta)) {
    // Test-time views are not part of the experiment, so a run reused for a config path may have been saved with
    // other views (or none, before configs had them); the config names the views its model is read with now.
    ctx.log(`${options.field}: ${reference} asks for ${ttaViews(named.tta).length} test-time view(s) of each image; run ${run.id} was saved with ${ttaViews(config.tta).length}: using ${reference}'s`);
    config = { ...config, tta: named.tta };
  }
  options.check(`run ${run.id}`, config);
  if (!await pathExists(join(runPath(run, "model"), "model.json"))) {
    throw new ConfigError(`${options.field}: run ${run.id} has no saved model (it stopped before its first saved epoch); pick another run (deno task fer list)`);
  }
  return { run, config, origin };
}

/** Where the locks of sources being trained live (`<resultsRoot>/locks/`). */
export const LOCKS_FOLDER = "locks";

/**
 * The lock file held while a source config is trained for the runs that need it (by a run resolving its source,
 * or by a sweep's sources-first step): one per experiment, so every process sharing the results folder trains it
 * once.
 *
 * @param resultsRoot The results folder.
 * @param sourceConfig The source's resolved config.
 * @returns `<resultsRoot>/locks/source-<first 16 hex of its experiment hash>.lock`.
 * @example
 * ```ts
 * const lockPath = sourceLockPath("results", config); // results/locks/source-1a2b....lock
 * ```
 */
export function sourceLockPath(resultsRoot: string, sourceConfig: RunConfig): string {
  return join(resultsRoot, LOCKS_FOLDER, `source-${experimentHash(sourceConfig).slice(0, 16)}.lock`);
}

/**
 * The newest completed run of a source config, else trains it: from its first epoch, or from the checkpoint of
 * an earlier run of it that stopped before completing (a sitting's end, Ctrl-C, a crash), so that a long source
 * trained in sittings is not started again each time. Training holds a lock named by the experiment's
 * hash, so two runs started by hand that need the same source train it once: the second waits for the first's
 * run and reuses it (if that training stops without a completed run, the waiting one trains it itself). A run
 * of the source config already training in a live process on this host is waited for the same way.
 */
async function reuseOrTrain(
  reference: string,
  sourceConfig: RunConfig,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "log" | "signal">,
  options: ResolveSourceRunOptions,
): Promise<{ run: RunHandle; origin: SourceRunOrigin }> {
  const lockPath = sourceLockPath(ctx.resultsRoot, sourceConfig);
  const pollMs = options.pollMs ?? 15_000;
  let waitingSince: number | undefined;
  let lastNotice = 0;
  for (;;) {
    const earlier = await findIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot);
    if (earlier) {
      ctx.log(`${options.field}: run ${earlier.id}, an earlier run of ${reference} (same resolved config and seed; its name, notes, tta and the paths of source configs aside)`);
      return { run: earlier, origin: "reused" };
    }
    // Whoever trains it now: a run of the same experiment in progress here (a `fer run` of the source config
    // itself, a sweep's sources-first step), else the holder of the lock another run took to train it.
    const training = await findTrainingIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot);
    let waitingFor: { pid: number; host: string; detail: string; checkable: boolean };
    if (training) {
      waitingFor = { ...training.process, detail: ` as run ${training.run.id}`, checkable: true };
    } else {
      const lock = await takeLock(lockPath, `training ${reference} (${options.field})`);
      if (lock.taken) {
        try {
          // Another process may have completed it and let go of the lock between our look and our lock.
          const finished = await findIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot);
          if (finished) {
            ctx.log(`${options.field}: run ${finished.id}, the run of ${reference} just completed by another process`);
            return { run: finished, origin: "reused" };
          }
          const stopped = await findResumableIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot);
          ctx.log(
            stopped
              ? `${options.field}: run ${stopped.id} of ${reference} stopped before it completed, with its checkpoint: going on with it first`
              : `${options.field}: no completed run of ${reference} yet, training it first`,
          );
          const outcome = await options.train(sourceConfig, stopped);
          if (outcome.stopReason === "interrupted") {
            throw new RunNotStartedError(
              `Training of ${reference} (${options.field}) was interrupted; its run ${outcome.run.id} is kept with its checkpoint ` +
                `and goes on from there when this is run again; this run was not started`,
              outcome.run.id,
            );
          }
          return { run: outcome.run, origin: "trained" };
        } finally {
          await lock.release();
        }
      }
      const { pid, host, since } = lock.holder;
      waitingFor = { pid, host, detail: since ? ` since ${since}` : "", checkable: lock.checkable };
    }
    const { pid, host } = waitingFor;
    const now = Date.now();
    if (waitingSince === undefined || now - lastNotice >= 10 * 60_000) {
      const minutes = waitingSince === undefined ? "" : ` (waiting ${Math.round((now - waitingSince) / 60_000)} min)`;
      ctx.log(
        `${options.field}: process ${pid} on ${host} is training ${reference}${waitingFor.detail}; waiting for its run${minutes}` +
          (waitingFor.checkable ? "" : `; if that host is gone, delete ${lockPath}`),
      );
      waitingSince ??= now;
      lastNotice = now;
    }
    await abortableSleep(pollMs, ctx.signal);
    if (ctx.signal?.aborted) {
      throw new ConfigError(`Stopped while waiting for process ${pid} to train ${reference} (${options.field}); this run was not started`);
    }
  }
}

/** An ensemble has no single model to start from or to score with: its members do. */
function refuseEnsemble(config: unknown, sourceText: string, field: string): void {
  const kind = typeof config === "object" && config !== null ? (config as { kind?: unknown }).kind : undefined;
  if (kind !== "ensemble") return;
  throw new ConfigError(
    `${field}: ${sourceText} is an ensemble; name its members instead, each a run id or a run config ` +
      "(an ensemble's member list is in its config, and fer show <ensemble run> names its member runs)",
  );
}
