/**
 * The one owner of run folders: creates them, writes and reads every file in
 * them. Everything else reaches a run through these functions.
 *
 * Contract (DESIGN.md): `config.json` is written once, before training, and
 * never rewritten; `manifest.json` is written before training and replaced
 * atomically when the status changes; `history.csv` gets one line per epoch;
 * `metrics.json` and `predictions.csv` are written atomically at the end.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import process from "node:process";
import { appendFile, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, diskFullOr, RunError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { createStampedFolder } from "../core/stamped_folder.ts";
import { processAlive } from "../core/process_lock.ts";
import { HISTORY_COLUMNS, type HistoryRow, RUN_FILES, RUNS_FOLDER } from "./run_files.ts";
import type { RunManifest, RunProcess, RunStatus } from "./run_manifest.ts";

/** A run folder on disk. */
export interface RunHandle {
  id: string;
  dir: string;
}

const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a run id before it becomes a path.
 *
 * @param id Candidate id.
 * @returns The id.
 * @throws {ConfigError} When it holds a separator, `..` or other characters.
 * @example
 * ```ts
 * console.assert(checkRunId("20261124-0915-cnn-1a2b") === "20261124-0915-cnn-1a2b");
 * ```
 */
export function checkRunId(id: string): string {
  if (!RUN_ID_PATTERN.test(id) || id.includes("..")) {
    throw new ConfigError(
      `Run id "${id}" is not valid; ids use letters, digits, ".", "_" and "-" (list them with: deno task fer list)`,
    );
  }
  return id;
}

/**
 * Creates a new run folder and writes its config.json, before any training.
 *
 * The id is `<UTC yyyymmdd-hhmmss>-<name>-<6 hex>` (createStampedFolder: two
 * runs started in the same second never share a folder).
 *
 * @param resultsRoot Results folder (runs go in `<resultsRoot>/runs/`).
 * @param config The resolved config to store.
 * @param options `name` goes into the id (sanitised); `now` is the start time.
 * @returns The handle of the new run.
 * @example
 * ```ts
 * const run = await createRun("results", { name: "small_cnn" }, { name: "small_cnn", now: new Date() });
 * ```
 */
export async function createRun(
  resultsRoot: string,
  config: unknown,
  options: { name: string; now: Date },
): Promise<RunHandle> {
  // Its stem keeps letters, digits, "_" and "-" only, so the id passes checkRunId.
  const { id, dir } = await createStampedFolder(join(resultsRoot, RUNS_FOLDER), options.name, { fallback: "run", now: options.now, what: "run" });
  try {
    // Whole or absent: another process listing runs (a run waiting for its source) may read it at any moment.
    await atomicWrite(join(dir, RUN_FILES.config), JSON.stringify(config, null, 2) + "\n");
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
  return { id, dir };
}

/**
 * Opens an existing run by id.
 *
 * @param resultsRoot Results folder.
 * @param id Run id (validated).
 * @returns The handle.
 * @throws {ConfigError} When the id is invalid or no such run exists.
 * @example
 * ```ts
 * const run = await openRun("results", "20261124-091500-small_cnn-1a2b3c");
 * ```
 */
export async function openRun(resultsRoot: string, id: string): Promise<RunHandle> {
  const dir = join(resultsRoot, RUNS_FOLDER, checkRunId(id));
  try {
    await readFile(join(dir, RUN_FILES.config));
  } catch {
    throw new ConfigError(`No run "${id}" in ${join(resultsRoot, RUNS_FOLDER)}; list runs with: deno task fer list`);
  }
  return { id, dir };
}

/**
 * Lists run ids, oldest first (ids start with their UTC start time).
 *
 * @param resultsRoot Results folder.
 * @returns Ids of folders that hold a config.json.
 * @example
 * ```ts
 * const ids = await listRunIds("results");
 * ```
 */
export async function listRunIds(resultsRoot: string): Promise<string[]> {
  const runsDir = join(resultsRoot, RUNS_FOLDER);
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const name of names.sort()) {
    if (!RUN_ID_PATTERN.test(name)) continue;
    try {
      await readFile(join(runsDir, name, RUN_FILES.config));
      ids.push(name);
    } catch { /* not a run folder */ }
  }
  return ids;
}

/** Path of a file or folder of the run, by its key in {@linkcode RUN_FILES}. */
export function runPath(run: RunHandle, file: keyof typeof RUN_FILES): string {
  return join(run.dir, RUN_FILES[file]);
}

/** JSON files of a run written after training: by the runner, `eval`, `robustness`, `fairness` and `card`. */
export type RunReportFile = "manifest" | "metrics" | "evaluations" | "robustness" | "fairness" | "modelCardJson" | "skipped";

/** Writes a JSON file of the run atomically (manifest, metrics, reports). Never the config. */
export async function writeRunJson(run: RunHandle, file: RunReportFile, value: unknown): Promise<void> {
  await atomicWrite(runPath(run, file), JSON.stringify(value, null, 2) + "\n");
}

/**
 * Reads a JSON file of the run; undefined when it does not exist yet.
 *
 * @param run The run.
 * @param file Which file.
 * @returns The parsed value, or undefined when the file is missing.
 * @throws {RunError} Naming the file when it cannot be read or is not valid JSON
 *   (a damaged run; other runs are unaffected).
 * @example
 * ```ts
 * const manifest = await readRunJson<RunManifest>(run, "manifest");
 * ```
 */
export async function readRunJson<T>(run: RunHandle, file: "config" | RunReportFile): Promise<T | undefined> {
  const path = runPath(run, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RunError(`Run file ${path} cannot be read (${(error as Error).message}); check its permissions, or delete the run folder ${run.dir}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new RunError(
      `Run file ${path} is damaged: not valid JSON (${(error as Error).message}, ${text.length} bytes); ` +
        `restore it, or delete the run folder ${run.dir}`,
    );
  }
}

/** Appends one epoch to history.csv, writing the header first when the file is new. */
export async function appendHistory(run: RunHandle, row: HistoryRow): Promise<void> {
  const path = runPath(run, "history");
  let header = "";
  try {
    await readFile(path);
  } catch {
    header = HISTORY_COLUMNS.join(",") + "\n";
  }
  const line = header + historyLine(row) + "\n";
  await appendFile(path, line).catch((error) => {
    throw diskFullOr(error, path, line.length);
  });
}

/**
 * Keeps the first `epochs` rows of history.csv (atomically): a run resumed
 * from its checkpoint drops the epochs written after it (a crash between the
 * row and the checkpoint).
 *
 * @param run The run.
 * @param epochs Rows to keep.
 * @returns The rows kept.
 */
export async function truncateHistory(run: RunHandle, epochs: number): Promise<HistoryRow[]> {
  const rows = await readHistory(run);
  if (rows.length <= epochs) return rows;
  const kept = rows.slice(0, epochs);
  const lines = [HISTORY_COLUMNS.join(","), ...kept.map(historyLine)];
  await atomicWrite(runPath(run, "history"), lines.join("\n") + "\n");
  return kept;
}

/** Replaces the run's training checkpoint (checkpoint.bin) whole, atomically. */
export async function writeCheckpoint(run: RunHandle, bytes: Uint8Array): Promise<void> {
  await atomicWrite(runPath(run, "checkpoint"), bytes);
}

/** The run's checkpoint bytes; undefined when it has none. */
export async function readCheckpoint(run: RunHandle): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(runPath(run, "checkpoint")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RunError(`The checkpoint ${runPath(run, "checkpoint")} cannot be read (${(error as Error).message}); check its permissions`);
  }
}

/** Removes the run's checkpoint (a completed run needs none). */
export async function removeCheckpoint(run: RunHandle): Promise<void> {
  await rm(runPath(run, "checkpoint"), { force: true });
}

/** Reads history.csv back into rows (empty when there is none). */
export async function readHistory(run: RunHandle): Promise<HistoryRow[]> {
  let text: string;
  try {
    text = await readFile(runPath(run, "history"), "utf8");
  } catch {
    return [];
  }
  const [header, ...lines] = text.trim().split("\n");
  const keys = header.split(",");
  return lines.filter((l) => l.length > 0).map((line) => {
    const values = line.split(",");
    return Object.fromEntries(keys.map((k, i) => [k, values[i] === "" ? NaN : Number(values[i])])) as HistoryRow;
  });
}

/** One row of predictions.csv. */
export interface PredictionRow {
  path: string;
  trueLabel: number;
  predictedLabel: number;
  probabilities: ArrayLike<number>;
}

/** Writes predictions.csv atomically: path, split, true, predicted, one probability column per class. */
export async function writePredictions(
  run: RunHandle,
  rows: readonly (PredictionRow & { split: string })[],
  classes: readonly string[],
): Promise<void> {
  const header = ["path", "split", "true", "predicted", ...classes.map((c) => `p_${c}`)].join(",");
  const lines = rows.map((r) =>
    [csvField(r.path), r.split, classes[r.trueLabel], classes[r.predictedLabel], ...Array.from(r.probabilities, (p) => p.toFixed(6))]
      .join(",")
  );
  await atomicWrite(runPath(run, "predictions"), [header, ...lines].join("\n") + "\n");
}

/** One history.csv line (no newline): the row's values in column order, empty for a missing or NaN value. */
function historyLine(row: HistoryRow): string {
  return HISTORY_COLUMNS.map((key) => formatNumber(row[key])).join(",");
}

function formatNumber(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "" : String(value);
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The process id and host of this process, for a new run's manifest.
 *
 * @returns `{ pid, host }`.
 * @example
 * ```ts
 * console.assert(currentRunProcess().pid > 0);
 * ```
 */
export function currentRunProcess(): RunProcess {
  return { pid: process.pid, host: hostname() };
}

/** Where a run stands as seen now: its recorded status, or `stale` when it says running but its process is gone. */
export type RunState = RunStatus | "stale";

/** What {@linkcode runState} finds. */
export interface RunStateReport {
  status: RunState;
  /** For a stale run: which process is gone and what survived; for a run on another host: that it cannot be checked. Null otherwise. */
  note: string | null;
}

/**
 * Tells where a run stands. A manifest that says `running` is believed only
 * while its process (recorded pid, same host) is alive; otherwise the run is
 * `stale` (killed, crashed, power lost), and the note says what survived: the
 * epochs in history.csv and whether best weights were saved to model/, with
 * the command that evaluates them. A run folder without a manifest stopped
 * before training began and is stale too. For a stale, interrupted or failed
 * run that kept its training checkpoint, the note gives the command that
 * resumes it.
 *
 * @param run The run.
 * @param manifest Its manifest (from readRunJson), or undefined when it has none.
 * @returns The status and a note.
 * @example
 * ```ts
 * const { status, note } = await runState(run, await readRunJson<RunManifest>(run, "manifest"));
 * if (status === "stale") console.log(note);
 * ```
 */
export async function runState(run: RunHandle, manifest: RunManifest | undefined): Promise<RunStateReport> {
  if (manifest === undefined) {
    return { status: "stale", note: `no ${RUN_FILES.manifest}: the run stopped before training began; delete ${run.dir}` };
  }
  const resumable = existsSync(runPath(run, "checkpoint"));
  const resume = `go on from its last finished epoch with: deno task fer resume ${run.id}`;
  if (manifest.status === "interrupted" || manifest.status === "failed") {
    return { status: manifest.status, note: resumable ? `its training checkpoint is kept; ${resume}` : null };
  }
  if (manifest.status !== "running" || manifest.process === undefined) return { status: manifest.status, note: null };
  const { pid, host } = manifest.process;
  if (host !== hostname()) return { status: "running", note: `on host ${host} (process ${pid}); its liveness cannot be checked from here` };
  if (processAlive(pid)) return { status: "running", note: null };
  const epochs = (await readHistory(run)).length;
  const weights = existsSync(join(runPath(run, "model"), "model.json"));
  return {
    status: "stale",
    note: `process ${pid} on ${host} is gone (killed or crashed) while running; survived: ${epochs} epoch(s) in ${RUN_FILES.history}, ` +
      (weights
        ? `best weights so far in ${RUN_FILES.model}/ (evaluate them with: deno task fer eval ${run.id} <dataset-root>)`
        : `no saved weights`) +
      (resumable ? `; ${resume}` : `; start it again with: deno task fer rerun ${run.id} --force`),
  };
}
