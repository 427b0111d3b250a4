/**
 * The parameters every notebook starts from: the smoke switch and the
 * workbench folders, read from the environment the notebook cell passes in.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { ConfigError } from "../core/errors.ts";

/** What {@linkcode notebookParams} returns. All paths are absolute. */
export interface NotebookParams {
  /** Small data subset and one epoch (FER_SMOKE=1), for CI. */
  smoke: boolean;
  /** The project folder (configs, dataset "auto" lookup, git). */
  projectRoot: string;
  /** Where runs are stored: FER_RESULTS, else `results/smoke` in smoke mode, else `results`. */
  resultsRoot: string;
  /** Decoded-dataset cache: FER_CACHE, else `.cache/datasets`. */
  cacheDir: string;
  /** Where notebooks write files meant for sharing (report.html): `<resultsRoot>/notebooks`. */
  outDir: string;
}

/**
 * Reads the notebook knobs from an environment object. Nothing else in src/
 * sees the environment: the notebook's parameters cell passes
 * `Deno.env.toObject()` here.
 *
 * - `FER_SMOKE`: "1" for smoke mode; "0" or unset for a full run.
 * - `FER_RESULTS`, `FER_CACHE`: move the results and cache folders, as for the CLI
 *   (relative paths are relative to the project root).
 *
 * @param env Environment variables (e.g. `Deno.env.toObject()`).
 * @param options `projectRoot`: the project folder, relative to the current
 *   directory (a notebook's kernel runs in `notebooks/`, so pass ".."). @default "."
 * @returns The parameters.
 * @throws {ConfigError} When FER_SMOKE has another value.
 * @example
 * ```ts
 * const params = notebookParams({ FER_SMOKE: "1" }, { projectRoot: "/work/fer" });
 * console.assert(params.smoke && params.resultsRoot === "/work/fer/results/smoke");
 * ```
 */
export function notebookParams(
  env: Readonly<Record<string, string | undefined>>,
  options: { projectRoot?: string } = {},
): NotebookParams {
  const flag = env.FER_SMOKE ?? "";
  if (!["", "0", "1"].includes(flag)) {
    throw new ConfigError(`FER_SMOKE is "${flag}"; allowed: "1" (smoke: small subset, one epoch) or "0"/unset (full run)`);
  }
  const smoke = flag === "1";
  const projectRoot = resolve(options.projectRoot ?? ".");
  const resultsRoot = resolve(projectRoot, env.FER_RESULTS || (smoke ? join("results", "smoke") : "results"));
  return {
    smoke,
    projectRoot,
    resultsRoot,
    cacheDir: resolve(projectRoot, env.FER_CACHE || join(".cache", "datasets")),
    outDir: join(resultsRoot, "notebooks"),
  };
}
