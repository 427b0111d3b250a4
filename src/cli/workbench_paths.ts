/**
 * Where the CLI keeps results and caches: relative to the working directory,
 * which is the project root when run through `deno task`. FER_RESULTS and
 * FER_CACHE (from the environment src/cli.ts passes in) move them.
 *
 * @module
 */
import { join, resolve } from "node:path";

/** The folders every command uses. */
export interface WorkbenchPaths {
  projectRoot: string;
  resultsRoot: string;
  cacheDir: string;
}

/**
 * Resolves the workbench folders from the current directory.
 *
 * @param env The environment the CLI was given (FER_RESULTS, FER_CACHE).
 * @returns Project root, the results folder (default `results/`) and the
 *   dataset cache (default `.cache/datasets/`).
 * @example
 * ```ts
 * console.assert(workbenchPaths({}).resultsRoot.endsWith("results"));
 * ```
 */
export function workbenchPaths(env: Readonly<Record<string, string | undefined>> = {}): WorkbenchPaths {
  const projectRoot = resolve(".");
  return {
    projectRoot,
    resultsRoot: resolve(projectRoot, env.FER_RESULTS ?? "results"),
    cacheDir: resolve(projectRoot, env.FER_CACHE ?? join(".cache", "datasets")),
  };
}
