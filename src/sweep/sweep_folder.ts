/**
 * The one owner of sweep folders (`<results>/sweeps/<name>/`): creates them,
 * checks a rerun is the same sweep, and reads and writes every file in them.
 *
 * ```
 * sweep.json        the resolved sweep: spec, base config, every trial's key, params and seed
 * trials/<key>.json each trial's run config (what `deno task fer run` is given)
 * state.json        each trial's status, attempts, run id, job id, node, log, metrics (resume reads it)
 * trials.csv        the same as a table, one row per trial
 * logs/<key>.attempt<n>.log   each attempt's output
 * summary.csv, summary.md, best.json, comparison.csv, comparison.md, plots/
 * ```
 *
 * @module
 */
import { mkdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { takeLock } from "../core/process_lock.ts";
import type { SweepTrial } from "./expand_trials.ts";
import type { SweepSpec } from "./read_sweep_file.ts";

/** File and folder names inside a sweep folder. */
export const SWEEP_FILES = {
  sweep: "sweep.json",
  state: "state.json",
  trialsCsv: "trials.csv",
  trials: "trials",
  logs: "logs",
  /** Configs of the runs trials start from or learn from, trained once before the trials (train_sources_first.ts). */
  sources: "sources",
  lock: "sweep.lock",
  summaryCsv: "summary.csv",
  summaryMarkdown: "summary.md",
  best: "best.json",
  plots: "plots",
} as const;

/** Where sweeps live under a results root. */
export const SWEEPS_FOLDER = "sweeps";

/** Where a trial stands. */
export type TrialStatus = "pending" | "running" | "completed" | "failed" | "interrupted";

/** Validation and test scores of a completed trial's run. */
export interface TrialMetrics {
  valAccuracy: number;
  valMacroF1: number;
  /** Expected calibration error on validation (15 bins); absent from trials recorded before 2026-12-04. */
  valEce?: number | null;
  testAccuracy: number | null;
  testMacroF1: number | null;
}

/** What the sweep knows about one trial (a row of trials.csv). */
export interface TrialRecord {
  key: string;
  setting: string;
  seed: number;
  params: Record<string, unknown>;
  status: TrialStatus;
  /** Attempts started so far (names the log files). */
  attempts: number;
  /** Failed attempts counted against the retry limit (`--retry-failed` resets it). */
  failures: number;
  /** Which engine ran the last attempt. */
  engine: string | null;
  runId: string | null;
  /** The Ray job's submission id (ray engine). */
  jobId: string | null;
  /** Where the last attempt ran: `local`, or the Ray node's IP address. */
  node: string | null;
  /** The last attempt's log, relative to the sweep folder. */
  log: string | null;
  /** Why the last attempt failed. */
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  metrics: TrialMetrics | null;
}

/** An open sweep folder. */
export interface SweepFolder {
  dir: string;
  name: string;
  /** Trial records by key, in trial order. */
  records: Map<string, TrialRecord>;
}

/**
 * The folder of sweep `name` under a results root.
 *
 * @param resultsRoot Results folder.
 * @param name The sweep's name (validated by the sweep schema).
 * @returns `<resultsRoot>/sweeps/<name>`.
 * @example
 * ```ts
 * console.assert(sweepDir("results", "smoke") === "results/sweeps/smoke");
 * ```
 */
export function sweepDir(resultsRoot: string, name: string): string {
  return join(resultsRoot, SWEEPS_FOLDER, name);
}

/**
 * Opens the sweep's folder, creating it on the first run. On a rerun the
 * resolved sweep must equal the stored one (same base, parameters, seeds),
 * and the stored trial states are loaded so completed trials are skipped
 * (retries, resources and notes may change).
 *
 * @param resultsRoot Results folder.
 * @param spec The sweep and its base config.
 * @param trials From `expandTrials`.
 * @returns The folder with one record per trial.
 * @throws {ConfigError} When the folder holds a different sweep of the same name.
 * @example
 * ```ts
 * const folder = await openSweepFolder("results", spec, expandTrials(spec.sweep, spec.base));
 * ```
 */
export async function openSweepFolder(resultsRoot: string, spec: SweepSpec, trials: readonly SweepTrial[]): Promise<SweepFolder> {
  const dir = sweepDir(resultsRoot, spec.sweep.name);
  const resolved = JSON.stringify(
    { sweep: spec.sweep, base: spec.base, trials: trials.map(({ key, setting, params, seed }) => ({ key, setting, params, seed })) },
    null,
    2,
  ) + "\n";
  const stored = await readText(join(dir, SWEEP_FILES.sweep));
  // Retries, resources and notes may change between reruns; what the trials run may not.
  const what = (text: string) => {
    const { base, trials } = JSON.parse(text) as { base: unknown; trials: unknown };
    return JSON.stringify({ base, trials });
  };
  if (stored !== undefined && what(stored) !== what(resolved)) {
    throw new ConfigError(
      `Sweep folder ${dir} holds a different sweep named "${spec.sweep.name}" (its base config, parameters or seeds differ); ` +
        `rename the new sweep ("name") or move that folder away to start over`,
    );
  }
  await mkdir(join(dir, SWEEP_FILES.trials), { recursive: true });
  await mkdir(join(dir, SWEEP_FILES.logs), { recursive: true });
  await atomicWrite(join(dir, SWEEP_FILES.sweep), resolved);
  for (const trial of trials) {
    await atomicWrite(trialConfigPath(dir, trial.key), JSON.stringify(trial.config, null, 2) + "\n");
  }
  const previous = JSON.parse((await readText(join(dir, SWEEP_FILES.state))) ?? "[]") as TrialRecord[];
  const byKey = new Map(previous.map((r) => [r.key, r]));
  const records = new Map(trials.map((t): [string, TrialRecord] => [t.key, byKey.get(t.key) ?? newRecord(t)]));
  return { dir, name: spec.sweep.name, records };
}

/**
 * Reads a sweep folder's records without the spec (for reports and notebooks).
 *
 * @param dir The sweep folder.
 * @returns The records in trial order.
 * @throws {ConfigError} When the folder has no state.json.
 * @example
 * ```ts
 * const records = await readSweepRecords("results/sweeps/smoke");
 * ```
 */
export async function readSweepRecords(dir: string): Promise<TrialRecord[]> {
  const text = await readText(join(dir, SWEEP_FILES.state));
  if (text === undefined) throw new ConfigError(`No sweep in ${dir} (no ${SWEEP_FILES.state}); start one with: deno task fer sweep experiments/sweep_smoke.json`);
  return JSON.parse(text) as TrialRecord[];
}

/**
 * Writes state.json and trials.csv atomically from the records.
 *
 * @param folder The open folder.
 * @returns Resolves when both files are in place.
 * @example
 * ```ts
 * folder.records.get("t001-seed1")!.status = "running";
 * await saveSweepState(folder);
 * ```
 */
export async function saveSweepState(folder: SweepFolder): Promise<void> {
  const records = [...folder.records.values()];
  await atomicWrite(join(folder.dir, SWEEP_FILES.state), JSON.stringify(records, null, 2) + "\n");
  await atomicWrite(join(folder.dir, SWEEP_FILES.trialsCsv), trialsCsv(records));
}

/**
 * trials.csv: one row per trial with its parameters, seed, run, job, node, status and metrics.
 *
 * @param records Trial records.
 * @returns CSV text with a header line.
 * @example
 * ```ts
 * console.assert(trialsCsv([]).startsWith("trial,setting,seed,status"));
 * ```
 */
export function trialsCsv(records: readonly TrialRecord[]): string {
  const { headers, cells } = trialsTable(records);
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [headers, ...cells].map((line) => line.map(field).join(",")).join("\n") + "\n";
}

/**
 * The trials as a table (headers and cell text), as trials.csv has them; for notebooks and reports.
 *
 * @param records Trial records.
 * @returns Column headers (trial, setting, seed, status, attempts, each parameter, run, engine, job, node, metrics, log, message) and one row per trial.
 * @example
 * ```ts
 * console.assert(trialsTable([]).headers[0] === "trial");
 * ```
 */
export function trialsTable(records: readonly TrialRecord[]): { headers: string[]; cells: string[][] } {
  const paths = [...new Set(records.flatMap((r) => Object.keys(r.params)))];
  const header = ["trial", "setting", "seed", "status", "attempts", ...paths, "run_id", "engine", "job_id", "node", "val_accuracy", "val_macro_f1", "val_ece", "test_accuracy", "test_macro_f1", "log", "message"];
  const number = (v: number | null | undefined) => (v === null || v === undefined ? "" : v.toFixed(4));
  const lines = records.map((r) => [
    r.key,
    r.setting,
    String(r.seed),
    r.status,
    String(r.attempts),
    ...paths.map((p) => (r.params[p] === undefined ? "" : typeof r.params[p] === "string" ? String(r.params[p]) : JSON.stringify(r.params[p]))),
    r.runId ?? "",
    r.engine ?? "",
    r.jobId ?? "",
    r.node ?? "",
    number(r.metrics?.valAccuracy),
    number(r.metrics?.valMacroF1),
    number(r.metrics?.valEce),
    number(r.metrics?.testAccuracy),
    number(r.metrics?.testMacroF1),
    r.log ?? "",
    r.message ?? "",
  ]);
  return { headers: header, cells: lines };
}

/**
 * The run config file of a trial.
 *
 * @param dir The sweep folder.
 * @param key The trial's key.
 * @returns `<dir>/trials/<key>.json`.
 * @example
 * ```ts
 * console.assert(trialConfigPath("s", "t001-seed1") === "s/trials/t001-seed1.json");
 * ```
 */
export function trialConfigPath(dir: string, key: string): string {
  return join(dir, SWEEP_FILES.trials, `${key}.json`);
}

/**
 * The log file of one attempt of a trial, absolute and relative to the folder.
 *
 * @param dir The sweep folder.
 * @param key The trial's key.
 * @param attempt Attempt number, from 1.
 * @returns `path` and `relativePath` (`logs/<key>.attempt<n>.log`).
 * @example
 * ```ts
 * console.assert(trialLogPath("s", "t001-seed1", 2).relativePath === "logs/t001-seed1.attempt2.log");
 * ```
 */
export function trialLogPath(dir: string, key: string, attempt: number): { path: string; relativePath: string } {
  const path = join(dir, SWEEP_FILES.logs, `${key}.attempt${attempt}.log`);
  return { path, relativePath: relative(dir, path) };
}

/**
 * Takes the folder's lock so two sweep processes never drive one folder; a
 * lock left by a process that no longer exists is taken over.
 *
 * @param dir The sweep folder.
 * @returns A function that releases the lock.
 * @throws {ConfigError} When a live process holds it.
 * @example
 * ```ts
 * const release = await lockSweepFolder(folder.dir);
 * try { await work(); } finally { await release(); }
 * ```
 */
export async function lockSweepFolder(dir: string): Promise<() => Promise<void>> {
  const lock = await takeLock(join(dir, SWEEP_FILES.lock), `driving sweep folder ${dir}`);
  if (lock.taken) return lock.release;
  const { pid, host } = lock.holder;
  throw new ConfigError(
    lock.checkable
      ? `Sweep folder ${dir} is in use by process ${pid}; wait for it, or stop it (Ctrl-C) and run the sweep again to resume`
      : `Sweep folder ${dir} is in use by process ${pid} on host ${host}; wait for it, or, if that host is gone, remove ${join(dir, SWEEP_FILES.lock)} and run the sweep again`,
  );
}

function newRecord(trial: SweepTrial): TrialRecord {
  return {
    key: trial.key,
    setting: trial.setting,
    seed: trial.seed,
    params: trial.params,
    status: "pending",
    attempts: 0,
    failures: 0,
    engine: null,
    runId: null,
    jobId: null,
    node: null,
    log: null,
    message: null,
    startedAt: null,
    finishedAt: null,
    metrics: null,
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
