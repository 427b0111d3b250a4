/**
 * Runs a sweep: expands its trials, opens (or resumes) its folder, runs the
 * trials that are not done on an engine, a few at a time, retrying failed
 * ones up to the limit, and records every attempt. A failed trial never
 * stops the others.
 *
 * @module
 */
import process from "node:process";
import { ConfigError } from "../core/errors.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { nextEpochSeconds } from "../train/sitting_limit.ts";
import type { RunMetrics } from "../experiment/run_metrics.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { listRunIds, openRun, readHistory, readRunJson } from "../experiment/run_store.ts";
import { isResumable } from "../experiment/resumable_run.ts";
import { describeParams, expandTrials, isEnsembleTrial, type SweepTrial } from "./expand_trials.ts";
import type { SweepSpec } from "./read_sweep_file.ts";
import { summarizeSweep, type SweepSummary } from "./summarize_sweep.ts";
import {
  lockSweepFolder,
  openSweepFolder,
  saveSweepState,
  type SweepFolder,
  trialConfigPath,
  trialLogPath,
  type TrialMetrics,
  type TrialRecord,
  type TrialStatus,
} from "./sweep_folder.ts";
import type { TrialEngine } from "./trial_engine.ts";
import { trainSourcesFirst } from "./train_sources_first.ts";

/** Options of {@linkcode runSweep}. */
export interface RunSweepOptions {
  /** Results root: trials' run folders go to `<root>/runs/`, the sweep folder to `<root>/sweeps/<name>/`. */
  resultsRoot: string;
  engine: TrialEngine;
  /** The folder the trials' config paths (`training.initFrom`, distillation teachers) are relative to. @default the working folder */
  projectRoot?: string;
  /** Trials running at once. @default 1 */
  parallel?: number;
  /** Give failed trials that used up their retries a fresh allowance. @default false */
  retryFailed?: boolean;
  /** Progress lines. */
  log: (line: string) => void;
  /** Stops launching trials and interrupts the running ones. */
  signal?: AbortSignal;
  /**
   * Seconds this invocation may take: each trial gets what is left when it
   * starts (its training stops cleanly at an epoch's end, keeping its
   * checkpoint), and no trial starts once it is spent, once a trial was paused
   * by it, or when what is left is shorter than the next epoch predicted from
   * the trial that just completed (the rule a run's own sitting stops by, so a
   * trial is not started only to run one epoch past the budget). Run the sweep
   * again to go on: paused trials resume, the others start. Absent: no limit.
   */
  timeBudgetSeconds?: number;
  /** Seconds on a clock (tests). @default performance.now() / 1000 */
  now?: () => number;
}

/** What a sweep invocation did. */
export interface SweepOutcome {
  folder: SweepFolder;
  summary: SweepSummary;
  /** Trials by status after this invocation. */
  counts: Record<TrialStatus, number>;
  /** Trials attempted in this invocation. */
  attempted: number;
  /** Trials skipped because an earlier invocation completed them. */
  skipped: number;
  /** Trials this invocation did not start because its time budget was spent; 0 without a budget. */
  notStarted: number;
}

/**
 * Runs (or resumes) a sweep. Completed trials whose run folder still holds
 * metrics are skipped; failed ones are retried while their failures do not
 * exceed `retries`; trials an interrupted invocation left running are
 * followed (a Ray job that is still known) or run again. A trial whose run
 * stopped with its training checkpoint (interrupted, or a failed attempt's
 * run that kept one) goes on from it (`fer resume`) instead of starting over.
 *
 * @param spec The sweep and its base config (`readSweepFile`).
 * @param options See {@linkcode RunSweepOptions}.
 * @returns The folder, the summary and the counts.
 * @throws {ConfigError} For an invalid sweep, a changed spec under the same name, or a folder in use.
 * @example
 * ```ts
 * const outcome = await runSweep(await readSweepFile("experiments/sweep_smoke.json", root), { resultsRoot, engine, log: console.log });
 * console.log(outcome.counts.completed, outcome.summary.best?.setting);
 * ```
 */
export async function runSweep(spec: SweepSpec, options: RunSweepOptions): Promise<SweepOutcome> {
  const { engine, log, resultsRoot } = options;
  const signal = options.signal ?? new AbortController().signal;
  const budget = timeBudget(options);
  const trials = expandTrials(spec.sweep, spec.base);
  const folder = await openSweepFolder(resultsRoot, spec, trials);
  const release = await lockSweepFolder(folder.dir);
  try {
    let saving = Promise.resolve();
    const save = () => (saving = saving.then(() => saveSweepState(folder)));
    const queue: { trial: SweepTrial; follow?: string; resume?: string }[] = [];
    let skipped = 0;
    for (const trial of trials) {
      const record = folder.records.get(trial.key)!;
      const completed = record.status === "completed" ? await completedRunMetrics(resultsRoot, record.runId) : null;
      if (completed) {
        // Read again from the run folder, the source of truth: trials recorded before a metric was kept (val ECE) gain it.
        record.metrics = completed;
        skipped++;
        continue;
      }
      if (record.status === "failed" && options.retryFailed) record.failures = 0;
      if (record.status === "failed" && record.failures > spec.sweep.retries) continue;
      const follow = record.status === "running" && engine.name === "ray" && record.engine === "ray" && record.jobId ? record.jobId : undefined;
      // A trial an earlier invocation left unfinished goes on from its run's last finished epoch when the run kept its checkpoint.
      const resume = follow === undefined && record.runId !== null && await isResumable(resultsRoot, record.runId) ? record.runId : undefined;
      queue.push({ trial, follow, resume });
    }
    await save();
    const resumable = queue.filter((q) => q.resume !== undefined).length;
    log(
      `Sweep ${spec.sweep.name}: ${trials.length} trials (${new Set(trials.map((t) => t.setting)).size} settings x ${spec.sweep.seeds.length} seeds); ` +
        `${skipped} already completed, ${queue.length} to run on ${engine.description}` +
        `${resumable > 0 ? ` (${resumable} resumed from their runs' checkpoints)` : ""}; folder ${folder.dir}`,
    );
    const parallel = Math.max(1, Math.min(options.parallel ?? 1, queue.length || 1));
    if (parallel > 1 || budget.seconds !== null) {
      // Trials started together would each train a source they share; train each once, first. With a time budget
      // too, so that a source stopped by it is paused (and goes on next time), not a trial's failure.
      const sources = await trainSourcesFirst(queue.map((q) => q.trial), {
        resultsRoot,
        projectRoot: options.projectRoot ?? process.cwd(),
        engine,
        sweepDir: folder.dir,
        resources: spec.sweep.resources,
        log,
        signal,
        budget: budget.seconds === null ? undefined : { launch: () => ({ timeBudgetSeconds: budget.left(), deadline: budget.deadline }), spent: budget.spent },
      });
      if (sources.paused) budget.end("a source the trials need was paused");
    }
    let done = 0;
    const total = queue.length;
    const worker = async () => {
      while (queue.length > 0 && !signal.aborted && !budget.spent()) {
        const { trial, follow, resume } = queue.shift()!;
        await runTrialWithRetries(trial, { follow, resume }, {
          ...options, signal, folder, save, retries: spec.sweep.retries, resources: spec.sweep.resources, budget,
        });
        const record = folder.records.get(trial.key)!;
        done++;
        const scores = record.metrics
          ? `: val acc ${record.metrics.valAccuracy.toFixed(3)}${record.metrics.testAccuracy === null ? "" : `, test acc ${record.metrics.testAccuracy.toFixed(3)}`}`
          : record.message ? `: ${record.message}` : "";
        log(`[${done}/${total}] ${trial.key} (${describeParams(trial.params)}) ${record.status} on ${record.node ?? "?"}${scores}${record.runId ? `  run ${record.runId}` : ""}`);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    await save();
    const records = [...folder.records.values()];
    const counts = { pending: 0, running: 0, completed: 0, failed: 0, interrupted: 0 } as Record<TrialStatus, number>;
    for (const record of records) counts[record.status]++;
    const notStarted = signal.aborted ? 0 : queue.length + budget.startedLate;
    if (budget.spent() && (notStarted > 0 || counts.interrupted > 0)) {
      const left = budget.left()!;
      const why = left <= 0 || budget.endedBecause === null ? "spent" : `over with ${formatSeconds(left)} left (${budget.endedBecause})`;
      log(
        `Time budget of ${formatSeconds(budget.seconds!)} ${why}: ${counts.interrupted} trial(s) paused with their checkpoints, ` +
          `${notStarted} not started; run the sweep again to go on`,
      );
    }
    const trialKind = trials.some((trial) => isEnsembleTrial(trial.config)) ? "ensemble" : "run";
    return { folder, summary: summarizeSweep(records, trialKind), counts, attempted: done, skipped, notStarted };
  } finally {
    await release();
  }
}

interface TrialContext extends RunSweepOptions {
  signal: AbortSignal;
  folder: SweepFolder;
  save: () => Promise<void>;
  retries: number;
  resources: { cpus: number; gpus: number };
  budget: TimeBudget;
}

/** An invocation's time budget: what is left of it, and whether it is spent. */
interface TimeBudget {
  /** The budget given; null for none. */
  seconds: number | null;
  /** Seconds left; undefined without a budget. */
  left(): number | undefined;
  /** When it ends on the wall clock (ISO 8601, UTC); undefined without a budget. */
  deadline: string | undefined;
  spent(): boolean;
  /** Trials whose job began after the budget had ended (a cluster's queue) and so trained nothing: not started. */
  startedLate: number;
  /** Ends the budget before its time, so no trial starts: why (a source or a trial was paused, no epoch fits). */
  end(why: string): void;
  /** Why {@linkcode TimeBudget.end} ended it; null while it was not ended. */
  endedBecause: string | null;
}

/** Starts the invocation's clock against `options.timeBudgetSeconds`. */
function timeBudget(options: RunSweepOptions): TimeBudget {
  const seconds = options.timeBudgetSeconds ?? null;
  if (seconds !== null && !(Number.isFinite(seconds) && seconds > 0)) {
    throw new ConfigError(`The sweep's time budget is ${seconds} s; give a time > 0, or none to run every trial`);
  }
  const now = options.now ?? (() => performance.now() / 1000);
  const deadline = seconds === null ? null : now() + seconds;
  const left = () => deadline === null ? undefined : deadline - now();
  const wallClockDeadline = seconds === null ? undefined : new Date(Date.now() + seconds * 1000).toISOString();
  const budget: TimeBudget = {
    seconds,
    left,
    deadline: wallClockDeadline,
    spent: () => budget.endedBecause !== null || (left() ?? 1) <= 0,
    startedLate: 0,
    end: (why) => {
      budget.endedBecause ??= why;
    },
    endedBecause: null,
  };
  return budget;
}

/**
 * Ends the budget when what is left would not hold the next trial's first epoch, predicted from the epochs of
 * the trial that just completed (the same rule a sitting stops a run's training by: an ensemble's next member is
 * not started either). Without it a trial would start with a minute left and run a whole epoch past the budget.
 */
async function endBudgetBeforeAnEpochPastIt(budget: TimeBudget, resultsRoot: string, runId: string, trialKey: string): Promise<void> {
  const left = budget.left();
  if (left === undefined || budget.spent()) return;
  const run = await openRun(resultsRoot, runId).catch(() => null);
  if (run === null) return;
  const next = nextEpochSeconds((await readHistory(run)).map((row) => row.seconds).filter(Number.isFinite));
  if (next > left) budget.end(`the next trial's first epoch, about ${formatSeconds(next)} as ${trialKey}'s, would end past it`);
}

/**
 * Runs a trial until it completes, is interrupted or has used its retries.
 * `from.follow` is a Ray job to follow instead of submitting one; `from.resume` a run to go on with from its
 * checkpoint instead of training afresh (also chosen for a retry when the failed attempt's run kept one).
 */
async function runTrialWithRetries(trial: SweepTrial, from: { follow?: string; resume?: string }, ctx: TrialContext): Promise<void> {
  const record = ctx.folder.records.get(trial.key)!;
  let existingJobId = from.follow;
  let resumeRunId = from.resume;
  while (!ctx.signal.aborted && !ctx.budget.spent()) {
    if (resumeRunId) ctx.log(`${trial.key}: going on with run ${resumeRunId} from its checkpoint`);
    const before = new Set(existingJobId ? [] : await trialRunIds(ctx.resultsRoot, trial.config.name));
    if (!existingJobId) record.attempts++;
    const logFile = trialLogPath(ctx.folder.dir, trial.key, record.attempts);
    Object.assign(record, {
      status: "running",
      engine: ctx.engine.name,
      metrics: null,
      message: null,
      log: logFile.relativePath,
      runId: resumeRunId ?? null,
      startedAt: existingJobId ? record.startedAt : new Date().toISOString(),
      finishedAt: null,
    } satisfies Partial<TrialRecord>);
    if (!existingJobId) Object.assign(record, { jobId: null, node: null });
    await ctx.save();
    const attempt = await ctx.engine.runTrial(
      {
        key: trial.key,
        configPath: trialConfigPath(ctx.folder.dir, trial.key),
        logPath: logFile.path,
        attempt: record.attempts,
        resources: ctx.resources,
        existingJobId,
        resumeRunId,
        timeBudgetSeconds: ctx.budget.left(),
        deadline: ctx.budget.deadline,
      },
      {
        signal: ctx.signal,
        onPlacement: async ({ jobId, node }) => {
          Object.assign(record, { jobId: jobId ?? record.jobId, node: node ?? record.node });
          await ctx.save();
        },
      },
    );
    existingJobId = undefined;
    Object.assign(record, { jobId: attempt.jobId ?? record.jobId, node: attempt.node ?? record.node, message: attempt.message });
    const run = resumeRunId ? await trialRun(ctx.resultsRoot, resumeRunId) : await newestTrialRun(ctx.resultsRoot, trial.config.name, before);
    // Recorded also for an interrupted attempt: the next invocation resumes that run.
    record.runId = run?.id ?? null;
    if (attempt.interrupted) {
      // A Ray job keeps running on the cluster; the record stays "running" so a rerun follows it.
      record.status = attempt.jobId && ctx.engine.name === "ray" ? "running" : "interrupted";
      await ctx.save();
      return;
    }
    if (attempt.ok && run === null && !resumeRunId && ctx.budget.spent()) {
      // Its job waited in the cluster's queue past the budget's end, and `fer run --until` trained nothing: not started.
      Object.assign(record, { status: "pending", message: "its job began after the sweep's time budget had ended; it runs when the sweep runs again" });
      ctx.budget.startedLate++;
      await ctx.save();
      return;
    }
    if (attempt.ok && run === null && !resumeRunId && ctx.budget.seconds !== null && isEnsembleTrial(trial.config)) {
      // An ensemble trial whose member's training the budget paused (fer run exits 0, the member's run keeping its
      // checkpoint): no ensemble run yet, and the next invocation goes on with that member.
      Object.assign(record, { status: "pending", message: "paused by the sweep's time budget while training a member; it goes on when the sweep runs again" });
      ctx.budget.end(`${trial.key} was paused while training a member: its next epoch would end past it`);
      await ctx.save();
      return;
    }
    if (attempt.ok && run?.status === "interrupted" && ctx.budget.seconds !== null) {
      // Its sitting ended with the sweep's time budget: paused, not failed; the next invocation resumes the run.
      // Its next epoch would not fit in what is left, nor would another trial's first: none starts now.
      Object.assign(record, { status: "interrupted", message: `paused by the sweep's time budget; run ${run.id} goes on when the sweep runs again` });
      ctx.budget.end(`${trial.key} was paused: its next epoch would end past it`);
      await ctx.save();
      return;
    }
    record.finishedAt = new Date().toISOString();
    if (attempt.ok && run?.status === "completed" && run.metrics) {
      Object.assign(record, { status: "completed", metrics: run.metrics, message: null });
      await endBudgetBeforeAnEpochPastIt(ctx.budget, ctx.resultsRoot, run.id, trial.key);
      await ctx.save();
      return;
    }
    record.failures++;
    record.status = "failed";
    if (attempt.ok) record.message = `the command succeeded but ${run ? `run ${run.id} is ${run.status}` : "no run folder appeared"} (see ${record.log})`;
    else record.message = `${attempt.message}; see ${record.log}`;
    await ctx.save();
    if (record.failures > ctx.retries) return;
    ctx.log(`${trial.key} failed (${record.message}); retrying (${record.failures} of ${ctx.retries} retries used)`);
    resumeRunId = record.runId !== null && await isResumable(ctx.resultsRoot, record.runId) ? record.runId : undefined;
  }
}

async function trialRunIds(resultsRoot: string, name: string): Promise<string[]> {
  return (await listRunIds(resultsRoot)).filter((id) => id.includes(`-${name}-`));
}

/** The newest run folder of a trial that was not there before the attempt, with its status and metrics. */
async function newestTrialRun(
  resultsRoot: string,
  name: string,
  before: ReadonlySet<string>,
): Promise<{ id: string; status: string; metrics: TrialMetrics | null } | null> {
  const ids = (await trialRunIds(resultsRoot, name)).filter((id) => !before.has(id));
  for (const id of ids.reverse()) {
    const run = await trialRun(resultsRoot, id, name);
    if (run) return run;
  }
  return null;
}

/** A trial's run folder by id, with its status and metrics; null when it is missing or (given `name`) another config's. */
async function trialRun(
  resultsRoot: string,
  id: string,
  name?: string,
): Promise<{ id: string; status: string; metrics: TrialMetrics | null } | null> {
  const run = await openRun(resultsRoot, id).catch(() => null);
  if (run === null) return null;
  const config = await readRunJson<{ name?: string }>(run, "config");
  if (name !== undefined && config?.name !== name) return null;
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const metrics = await readRunJson<RunMetrics>(run, "metrics");
  return { id, status: manifest?.status ?? "unknown", metrics: metrics ? trialMetrics(metrics) : null };
}

/** A run's scores as a sweep keeps them; null without validation scores. */
function trialMetrics(metrics: RunMetrics): TrialMetrics | null {
  if (!metrics.validation) return null;
  return {
    valAccuracy: metrics.validation.accuracy,
    valMacroF1: metrics.validation.macroF1,
    valEce: metrics.validation.expectedCalibrationError,
    testAccuracy: metrics.test?.accuracy ?? null,
    testMacroF1: metrics.test?.macroF1 ?? null,
  };
}

/** The scores of a completed trial's run folder; null when it is gone, damaged or has none (the trial runs again). */
async function completedRunMetrics(resultsRoot: string, runId: string | null): Promise<TrialMetrics | null> {
  if (!runId) return null;
  try {
    const metrics = await readRunJson<RunMetrics>(await openRun(resultsRoot, runId), "metrics");
    return metrics ? trialMetrics(metrics) : null;
  } catch {
    return null;
  }
}
