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
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { HISTORY_COLUMNS, type HistoryRow, RUN_FILES, RUNS_FOLDER } from "./run_files.ts";

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
 * The id is `<UTC yyyymmdd-hhmmss>-<name>-<6 hex>`; the folder is created
 * with a non-recursive mkdir, which fails if it exists, so two runs started
 * in the same second never share a folder.
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
  const runsDir = join(resultsRoot, RUNS_FOLDER);
  await mkdir(runsDir, { recursive: true });
  const stamp = options.now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const name = options.name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || "run";
  for (let attempt = 0; attempt < 10; attempt++) {
    const id = checkRunId(`${stamp}-${name}-${randomBytes(3).toString("hex")}`);
    const dir = join(runsDir, id);
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    await writeFile(join(dir, RUN_FILES.config), JSON.stringify(config, null, 2) + "\n", { flag: "wx" });
    return { id, dir };
  }
  throw new Error(`Could not create a unique run folder under ${runsDir} after 10 attempts`);
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

/** JSON files of a run written after training: by the runner, `robustness`, `fairness` and `card`. */
export type RunReportFile = "manifest" | "metrics" | "robustness" | "fairness" | "modelCardJson";

/** Writes a JSON file of the run atomically (manifest, metrics, reports). Never the config. */
export async function writeRunJson(run: RunHandle, file: RunReportFile, value: unknown): Promise<void> {
  await atomicWrite(runPath(run, file), JSON.stringify(value, null, 2) + "\n");
}

/** Reads a JSON file of the run; undefined when it does not exist yet. */
export async function readRunJson<T>(run: RunHandle, file: "config" | RunReportFile): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(runPath(run, file), "utf8")) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
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
  await appendFile(path, header + HISTORY_COLUMNS.map((key) => formatNumber(row[key])).join(",") + "\n");
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

function formatNumber(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "" : String(value);
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
