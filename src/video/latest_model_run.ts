/**
 * Picks the run whose model `fer video`, `fer detect` and `fer live` use when
 * no `--model` is given: the newest run with a saved single model.
 *
 * @module
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { listRunIds, openRun, runPath } from "../experiment/run_store.ts";

/**
 * The newest run (ids start with their UTC start time) that has `model/model.json`.
 *
 * @param resultsRoot Results folder.
 * @returns The run id.
 * @throws {ConfigError} When no run has a model yet (it says how to train one).
 * @example
 * ```ts
 * const id = await latestModelRun("results");
 * ```
 */
export async function latestModelRun(resultsRoot: string): Promise<string> {
  const ids = await listRunIds(resultsRoot);
  for (const id of [...ids].reverse()) {
    const run = await openRun(resultsRoot, id);
    try {
      await access(join(runPath(run, "model"), "model.json"));
      return id;
    } catch {
      // No single model saved (yet): an ensemble, or a run before its first epoch.
    }
  }
  throw new ConfigError(
    `No run in ${resultsRoot} has a saved model; train one (deno task fer run experiments/small_cnn.json) or pass --model <run-id>`,
  );
}
