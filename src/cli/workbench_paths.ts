/**
 * Where the CLI keeps results and caches: relative to the working directory,
 * which is the project root when run through `deno task`.
 *
 * @module
 */
import { resolve } from "node:path";

/** The folders every command uses. */
export interface WorkbenchPaths {
  projectRoot: string;
  resultsRoot: string;
  cacheDir: string;
}

/**
 * Resolves the workbench folders from the current directory.
 *
 * @returns Project root, `results/`, and `.cache/datasets/`.
 * @example
 * ```ts
 * console.assert(workbenchPaths().resultsRoot.endsWith("results"));
 * ```
 */
export function workbenchPaths(): WorkbenchPaths {
  const projectRoot = resolve(".");
  return { projectRoot, resultsRoot: resolve(projectRoot, "results"), cacheDir: resolve(projectRoot, ".cache", "datasets") };
}
