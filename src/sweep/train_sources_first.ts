/**
 * Sources before trials. A trial whose config names another config by path
 * (`training.initFrom`, a `training.distill` teacher, an ensemble trial's
 * member) reuses that config's completed run, or trains it first; so does an
 * ensemble trial with an inline member config. Trials that run at once (`--parallel`,
 * and a Ray sweep launches its trials together) would each find no run and
 * each train the same source: the sweep trains every such source once, on
 * the same engine, before any trial, and the trials then reuse it. An inline
 * member config only one trial has (a sweep of the member's own fields) is
 * left to that trial, so that such members still train at once. A source's
 * Ray job left running by an interrupted sweep is followed by the rerun, as a
 * trial's is. With a time budget, a source's training gets what is left of it
 * (a sitting, as a trial's), and a source stopped by it, or one an earlier
 * invocation stopped, goes on from its run's checkpoint next time.
 *
 * @module
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { fileStem } from "../core/file_stem.ts";
import { takeLock } from "../core/process_lock.ts";
import { experimentHash, findIdenticalRun, findResumableIdenticalRun, findTrainingIdenticalRun, namesRunConfig } from "../experiment/find_identical_run.ts";
import { sourceLockPath } from "../experiment/source_run.ts";
import { readRunConfig } from "../experiment/read_run_config.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { isEnsembleTrial, type SweepTrial, type TrialConfig } from "./expand_trials.ts";
import { SWEEP_FILES, trialLogPath } from "./sweep_folder.ts";
import type { TrialEngine, TrialLaunch } from "./trial_engine.ts";

/** What {@linkcode trainSourcesFirst} needs: where things are, the engine and how to report. */
export interface SourcesFirstContext {
  resultsRoot: string;
  /** The folder config paths are relative to (as for the trials' own `fer run`). */
  projectRoot: string;
  engine: TrialEngine;
  /** The sweep folder: sources' configs go to `sources/`, their logs to `logs/source-<name>.attempt1.log`. */
  sweepDir: string;
  resources: { cpus: number; gpus: number };
  log: (line: string) => void;
  signal: AbortSignal;
  /**
   * The sweep's time budget: what a source's training may take now (the
   * launch's `timeBudgetSeconds` and `deadline`), and whether it is spent.
   * Absent: no limit.
   */
  budget?: { launch: () => Pick<TrialLaunch, "timeBudgetSeconds" | "deadline">; spent: () => boolean };
}

/** What {@linkcode trainSourcesFirst} did: the runs it trained, and whether the time budget paused a source. */
export interface SourcesFirstOutcome {
  /** Runs of sources completed here. */
  trained: string[];
  /**
   * The time budget stopped a source's training (its run keeps its
   * checkpoint) or left none for the next source: no trial should start, as
   * the trials need them; the next invocation goes on.
   */
  paused: boolean;
}

/**
 * A source the trials share: a config path, or an inline member config (`inline`; its `reference` then names it
 * for messages), with the fields naming it and how many trials do.
 */
export interface NamedSource {
  reference: string;
  fields: string[];
  trials: number;
  /** The member config itself, for an ensemble trial's inline member. */
  inline?: RunConfig;
}

/**
 * The sources the trials name, in first-seen order, each with the fields naming it and how many trials do:
 * every config path, and every inline member config (one experiment: same resolved config and seed, its name
 * and notes aside) that two trials or more have.
 *
 * @param trials The trials about to run.
 * @returns One entry per distinct path or inline experiment (run ids are left out: they are runs already).
 * @example
 * ```ts
 * console.assert(namedSources([]).length === 0);
 * ```
 */
export function namedSources(trials: readonly SweepTrial[]): NamedSource[] {
  const found = new Map<string, Omit<NamedSource, "fields"> & { fields: Set<string> }>();
  for (const trial of trials) {
    const byThisTrial = new Set<string>();
    for (const { named, field } of sourcesOf(trial.config)) {
      if (typeof named === "string" && !namesRunConfig(named)) continue;
      const key = typeof named === "string" ? `path:${named}` : `inline:${experimentHash(named)}`;
      const entry = found.get(key) ??
        (typeof named === "string"
          ? { reference: named, fields: new Set<string>(), trials: 0 }
          : { reference: `inline config "${named.name}"`, fields: new Set<string>(), trials: 0, inline: named });
      entry.fields.add(field);
      // A trial counts once per source, however many of its fields name it.
      if (!byThisTrial.has(key)) entry.trials++;
      byThisTrial.add(key);
      found.set(key, entry);
    }
  }
  return [...found.values()]
    // An inline member of one trial is that trial's to train: trained first, the trials would wait on it one by one.
    .filter((entry) => entry.inline === undefined || entry.trials > 1)
    .map((entry) => ({ ...entry, fields: [...entry.fields] }));
}

/**
 * The sources one trial's config names, each with its field: a run's starting weights and teachers (paths or
 * run ids); an ensemble's members named by path and its inline member configs.
 */
function sourcesOf(config: TrialConfig): { named: string | RunConfig; field: string }[] {
  if (isEnsembleTrial(config)) {
    return config.members.flatMap((member, i) => "config" in member ? [{ named: member.config, field: `members.${i}.config` }] : []);
  }
  const { initFrom, distill } = config.training;
  return [
    ...(initFrom ? [{ named: initFrom, field: "training.initFrom" }] : []),
    ...(distill?.teachers ?? []).map((t) => ({ named: t, field: "training.distill.teachers" })),
  ];
}

/**
 * Trains, one after another, each source the trials name by config path
 * that has no completed identical run yet (going on with a run of it that
 * stopped with its checkpoint, when there is one). A source that cannot be
 * read is left to the trials (each reports it, with its field); one whose
 * training fails is logged, and the trials try it themselves; one the time
 * budget stops ends the step.
 *
 * @param trials The trials about to run.
 * @param ctx See {@linkcode SourcesFirstContext}.
 * @returns See {@linkcode SourcesFirstOutcome}.
 * @example
 * ```ts
 * await trainSourcesFirst(queue, { resultsRoot, projectRoot, engine, sweepDir: folder.dir, resources, log, signal });
 * ```
 */
export async function trainSourcesFirst(trials: readonly SweepTrial[], ctx: SourcesFirstContext): Promise<SourcesFirstOutcome> {
  const trained: string[] = [];
  const usedNames = new Set<string>();
  for (const source of namedSources(trials)) {
    if (ctx.signal.aborted) break;
    if (ctx.budget?.spent()) {
      ctx.log(`${source.reference}: not started, the sweep's time budget is spent; run the sweep again to go on`);
      return { trained, paused: true };
    }
    let config: RunConfig;
    try {
      config = source.inline ?? await readRunConfig(resolve(ctx.projectRoot, source.reference));
    } catch (error) {
      if (error instanceof ConfigError) continue;
      throw error;
    }
    if (await findIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot)) continue;
    const training = await findTrainingIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot);
    if (training) {
      const { pid, host } = training.process;
      ctx.log(`${source.reference}: process ${pid} on ${host} is training it as run ${training.run.id}; not training it again, the trials wait for that run`);
      continue;
    }
    // Held while the source trains, so that a `fer run` needing it (here or on another host sharing the results
    // folder) waits for this training instead of starting its own; a run holding it already is waited for instead.
    const lockPath = sourceLockPath(ctx.resultsRoot, config);
    const lock = await takeLock(lockPath, `training ${source.reference} before the trials of the sweep in ${ctx.sweepDir}`);
    if (!lock.taken) {
      const { pid, host, since } = lock.holder;
      ctx.log(
        `${source.reference}: process ${pid} on ${host} is training it${since ? ` since ${since}` : ""}; not training it again, the trials wait for that run` +
          (lock.checkable ? "" : ` (if that host is gone, delete ${lockPath})`),
      );
      continue;
    }
    let outcome: SourceOutcome;
    try {
      // Another process may have completed it and let go of the lock between our look and our lock.
      outcome = await findIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot) ? { ended: "elsewhere" } : await trainSource(source, config, usedNames, ctx);
    } finally {
      await lock.release();
    }
    if (outcome.ended === "interrupted") break;
    if (outcome.ended === "paused") return { trained, paused: true };
    if (outcome.ended === "trained") trained.push(outcome.runId);
  }
  return { trained, paused: false };
}

/**
 * How a source's turn ended: trained here (its run), completed by another process meanwhile, not completed (the
 * trials try it themselves), stopped by the time budget (paused), or the sweep was interrupted.
 */
type SourceOutcome = { ended: "trained"; runId: string } | { ended: "elsewhere" | "failed" | "interrupted" | "paused" };

/** Trains one source through the engine, from a resolved copy of its config in the sweep folder, and logs how it ended. */
async function trainSource(
  source: NamedSource,
  config: RunConfig,
  usedNames: Set<string>,
  ctx: SourcesFirstContext,
): Promise<SourceOutcome> {
  // Two sources in different folders (or inline ones) may share a name: each keeps its own config copy and log.
  const stem = source.inline ? fileStem(source.inline.name, "inline") : basename(source.reference).replace(/\.json$/i, "");
  let name = stem;
  for (let n = 2; usedNames.has(name); n++) name = `${stem}-${n}`;
  usedNames.add(name);
  // The resolved config, in the sweep folder, which every node of a cluster reaches (like the trials' configs).
  const configPath = join(ctx.sweepDir, SWEEP_FILES.sources, `${name}.json`);
  await mkdir(join(ctx.sweepDir, SWEEP_FILES.sources), { recursive: true });
  await atomicWrite(configPath, JSON.stringify(config, null, 2) + "\n");
  const logFile = trialLogPath(ctx.sweepDir, `source-${name}`, 1);
  const jobFile = join(ctx.sweepDir, SWEEP_FILES.sources, `${name}.job.json`);
  const hash = experimentHash(config);
  const follow = ctx.engine.name === "ray" ? await earlierJob(jobFile, hash) : undefined;
  const stopped = follow ? undefined : await findResumableIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot);
  ctx.log(
    `${source.reference} (${source.fields.join(", ")} of ${source.trials} trial${source.trials === 1 ? "" : "s"}) has no completed run: ` +
      (follow
        ? `following its Ray job ${follow}, which an interrupted invocation of this sweep left running (log: ${logFile.relativePath})`
        : stopped
        ? `going on with its run ${stopped.id}, which stopped with its checkpoint, before the trials (log: ${logFile.relativePath})`
        : `training it once, before the trials, so that they reuse it (log: ${logFile.relativePath})`),
  );
  const started = performance.now();
  const launch: TrialLaunch = {
    key: `source-${name}`,
    configPath,
    logPath: logFile.path,
    attempt: 1,
    resources: ctx.resources,
    existingJobId: follow,
    resumeRunId: stopped?.id,
    ...ctx.budget?.launch(),
  };
  const attempt = await ctx.engine.runTrial(
    launch,
    {
      signal: ctx.signal,
      // A Ray job outlives an interrupted sweep: its id is kept beside the config so that a rerun follows it.
      onPlacement: async ({ jobId }) => {
        if (jobId && ctx.engine.name === "ray") await atomicWrite(jobFile, JSON.stringify({ jobId, experimentHash: hash }) + "\n");
      },
    },
  );
  if (!(attempt.interrupted && attempt.jobId && ctx.engine.name === "ray")) await rm(jobFile, { force: true });
  if (attempt.interrupted) return { ended: "interrupted" };
  const run = await findIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot);
  if (run) {
    ctx.log(`${source.reference}: run ${run.id} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    return { ended: "trained", runId: run.id };
  }
  if (attempt.ok && ctx.budget !== undefined) {
    // Its sitting ended with the time budget (or its job began after the budget's end): no trial starts without it.
    const paused = await findResumableIdenticalRun(ctx.resultsRoot, config, ctx.projectRoot);
    ctx.log(
      `${source.reference}: paused by the sweep's time budget${paused ? ` (run ${paused.id} keeps its checkpoint)` : ""}; ` +
        `no trial starts without it: run the sweep again to go on`,
    );
    return { ended: "paused" };
  }
  ctx.log(`${source.reference}: training did not complete (${attempt.message}; see ${logFile.relativePath}); each trial will try it itself`);
  return { ended: "failed" };
}

/** The Ray job an interrupted invocation left training this source (the same experiment), if its record is there. */
async function earlierJob(jobFile: string, hash: string): Promise<string | undefined> {
  try {
    const record = JSON.parse(await readFile(jobFile, "utf8")) as { jobId?: unknown; experimentHash?: unknown };
    // Names shift when another source completed meanwhile: a record of another config is not this source's job.
    return typeof record.jobId === "string" && record.experimentHash === hash ? record.jobId : undefined;
  } catch {
    return undefined; // none, or unreadable: submit a new job
  }
}
