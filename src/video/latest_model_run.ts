/**
 * Picks the run whose model `fer video`, `fer detect` and `fer live` use when
 * no `--model` is given: the newest completed run with a saved single model.
 *
 * @module
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, RunError } from "../core/errors.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { listRunIds, openRun, readRunJson, type RunHandle, runPath, runState } from "../experiment/run_store.ts";

/** The run picked, and why. */
export interface PickedModelRun {
  id: string;
  /** What the line naming the run should say about it. */
  reason: string;
}

/**
 * The newest run (ids start with their UTC start time) that has
 * `model/model.json` and completed. A run still training keeps its best
 * weights so far in the same place, so it is passed over while a completed
 * one exists; when none has completed, the newest with weights is taken and
 * the reason says it did not complete.
 *
 * @param resultsRoot Results folder.
 * @returns The run id and the reason it was picked.
 * @throws {ConfigError} When no run has a model yet (it says how to train one).
 * @example
 * ```ts
 * const { id, reason } = await latestModelRun("results");
 * ```
 */
export async function latestModelRun(resultsRoot: string): Promise<PickedModelRun> {
  let unfinished: PickedModelRun | null = null;
  for (const id of [...await listRunIds(resultsRoot)].reverse()) {
    const run = await openRun(resultsRoot, id);
    try {
      await access(join(runPath(run, "model"), "model.json"));
    } catch {
      continue; // No single model saved (yet): an ensemble, or a run before its first epoch.
    }
    const status = await readStatus(run);
    if (status === "completed") return { id, reason: "the newest completed run with a saved model" };
    unfinished ??= { id, reason: `the newest run with a saved model; it has not completed (${status}): its best weights so far` };
  }
  if (unfinished) return unfinished;
  throw new ConfigError(
    `No run in ${resultsRoot} has a saved model; train one (deno task fer run experiments/small_cnn.json) or pass --model <run-id>`,
  );
}

/** The run's status as `fer list` reports it (a dead process's "running" run is "stale"). */
async function readStatus(run: RunHandle): Promise<string> {
  try {
    return (await runState(run, await readRunJson<RunManifest>(run, "manifest"))).status;
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    return "damaged manifest";
  }
}
