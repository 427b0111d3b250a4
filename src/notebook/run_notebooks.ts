/**
 * Executes the notebooks with Jupyter (nbconvert), in file order, into
 * results/notebooks/: the executed .ipynb and, with `html`, an HTML export
 * with plotly.js embedded (interactive figures, offline, one file each).
 *
 * As a script: `deno run -A src/notebook/run_notebooks.ts [--smoke] [--html]
 * [--out DIR] [--results DIR] [names...]` (names filter, e.g. `02`).
 *
 * @module
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../core/errors.ts";
import { ensureDenoKernel, JUPYTER_INSTALL_HINT, missingJupyterParts, runCommand } from "./_jupyter_setup.ts";
import { describeNotebookFailure } from "./_notebook_failure.ts";
import { embedPlotly } from "./embed_plotly.ts";

/** Options of {@linkcode runNotebooks}. */
export interface RunNotebooksOptions {
  /** The project folder (holds notebooks/). */
  projectRoot: string;
  /** Notebook names or parts of names to run (e.g. "02"); empty runs all. @default [] */
  only?: readonly string[];
  /** Set FER_SMOKE=1 for the kernels: a small subset and one epoch. @default false */
  smoke?: boolean;
  /** Also export each executed notebook to HTML. @default false */
  html?: boolean;
  /** Folder for executed notebooks and HTML. @default <projectRoot>/results/notebooks */
  outDir?: string;
  /** Passed as FER_RESULTS to the kernels (where runs go). @default the notebooks' own default */
  resultsRoot?: string;
  /** Seconds one cell may run. @default 3600 (full) or 600 (smoke) */
  cellTimeoutSeconds?: number;
  /** Prints one line of progress. @default no output */
  log?: (line: string) => void;
}

/** One executed notebook. */
export interface NotebookRun {
  notebook: string;
  /** The executed copy, with outputs. */
  executed: string;
  /** The HTML export, when asked for. */
  html?: string;
  seconds: number;
}

/**
 * Registers the Deno kernel when needed, then executes each notebook of
 * `notebooks/` in name order (later notebooks read the runs earlier ones
 * make), stopping at the first failure.
 *
 * @param options See {@linkcode RunNotebooksOptions}.
 * @returns The executed notebooks.
 * @throws Error with install instructions when Jupyter is missing.
 * @throws Error naming the notebook, the cell and the error when a cell fails.
 * @throws {ConfigError} When `only` matches no notebook.
 * @example
 * ```ts
 * const runs = await runNotebooks({ projectRoot: ".", smoke: true, html: true, log: console.log });
 * ```
 */
export async function runNotebooks(options: RunNotebooksOptions): Promise<NotebookRun[]> {
  const log = options.log ?? (() => {});
  const projectRoot = resolve(options.projectRoot);
  const notebookDir = join(projectRoot, "notebooks");
  const all = (await readdir(notebookDir)).filter((name) => name.endsWith(".ipynb")).sort();
  const only = options.only ?? [];
  const chosen = only.length === 0 ? all : all.filter((name) => only.some((part) => name.includes(part)));
  if (chosen.length === 0) {
    throw new ConfigError(`No notebook in ${notebookDir} matches ${only.join(", ")}; notebooks: ${all.join(", ")}`);
  }
  const missing = await missingJupyterParts();
  if (missing.length > 0) throw new Error(`Missing: ${missing.join(", ")}\n${JUPYTER_INSTALL_HINT}`);
  await ensureDenoKernel(log);

  const outDir = resolve(options.outDir ?? join(projectRoot, "results", "notebooks"));
  const env: Record<string, string> = { FER_SMOKE: options.smoke ? "1" : "0" };
  if (options.resultsRoot) env.FER_RESULTS = resolve(options.resultsRoot);
  const timeout = options.cellTimeoutSeconds ?? (options.smoke ? 600 : 3600);
  const runs: NotebookRun[] = [];
  for (const name of chosen) {
    const source = join(notebookDir, name);
    log(`Executing ${name}${options.smoke ? " (smoke)" : ""}`);
    const started = performance.now();
    const result = await runCommand("jupyter", [
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      `--ExecutePreprocessor.timeout=${timeout}`,
      "--ExecutePreprocessor.kernel_name=deno",
      "--output-dir",
      outDir,
      source,
    ], { cwd: projectRoot, env });
    if (result.code !== 0) {
      const notebook = JSON.parse(await readFile(source, "utf8"));
      throw new Error(describeNotebookFailure(name, notebook, result.stderr));
    }
    const run: NotebookRun = { notebook: source, executed: join(outDir, name), seconds: (performance.now() - started) / 1000 };
    if (options.html) {
      const exported = await runCommand("jupyter", ["nbconvert", "--to", "html", "--output-dir", outDir, run.executed], {
        cwd: projectRoot,
      });
      if (exported.code !== 0) throw new Error(`HTML export of ${name} failed: ${exported.stderr.trim().split("\n").slice(-3).join(" ")}`);
      run.html = join(outDir, name.replace(/\.ipynb$/, ".html"));
      await embedPlotly(run.html);
    }
    log(`  ${name}: ${run.seconds.toFixed(0)} s -> ${run.html ?? run.executed}`);
    runs.push(run);
  }
  return runs;
}

/** Parses the script's arguments. */
function parseScriptArgs(args: readonly string[]): Omit<RunNotebooksOptions, "projectRoot"> {
  const options: Omit<RunNotebooksOptions, "projectRoot"> & { only: string[] } = { only: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--smoke") options.smoke = true;
    else if (arg === "--html") options.html = true;
    else if (arg === "--out" || arg === "--results") {
      const value = args[++i];
      if (!value) throw new ConfigError(`${arg} needs a folder, e.g. ${arg} results/notebooks`);
      if (arg === "--out") options.outDir = value;
      else options.resultsRoot = value;
    } else if (arg.startsWith("--")) {
      throw new ConfigError(`Unknown option ${arg}; allowed: --smoke, --html, --out DIR, --results DIR, notebook names`);
    } else options.only.push(arg);
  }
  return options;
}

if (import.meta.main) {
  const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
  try {
    const runs = await runNotebooks({ projectRoot, ...parseScriptArgs(Deno.args), log: console.log });
    console.log(`Executed ${runs.length} notebook(s): ${runs.map((r) => basename(r.notebook)).join(", ")}`);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
