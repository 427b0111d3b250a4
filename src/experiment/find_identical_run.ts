/**
 * Finds an earlier run of the same experiment, so that work already done is
 * reused instead of trained again (ensemble members, a run's starting weights).
 *
 * @module
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { configHash } from "../core/config_hash.ts";
import { pathExists } from "../data/path_exists.ts";
import { parseRunConfig, type RunConfig } from "./run_config.ts";
import type { RunManifest, RunProcess } from "./run_manifest.ts";
import { listRunIds, openRun, readRunJson, type RunHandle, runPath, runState } from "./run_store.ts";

/**
 * The newest completed run, with a saved model, whose resolved config is the
 * same experiment as `config`: identical but for its name, free-text notes and
 * test-time augmentation (see {@linkcode experimentHash}). Saved configs are
 * resolved again with today's schema, so a run saved before a field with a
 * default was added still counts as the same experiment.
 *
 * @param resultsRoot Results folder.
 * @param config The resolved config to match.
 * @returns The run, or undefined when there is none.
 * @example
 * ```ts
 * const earlier = await findIdenticalRun("results", parseRunConfig({ name: "x", model: { family: "small_cnn" } }));
 * ```
 */
export async function findIdenticalRun(resultsRoot: string, config: RunConfig): Promise<RunHandle | undefined> {
  for await (const { run, manifest } of identicalRuns(resultsRoot, config)) {
    if (manifest?.status === "completed" && await pathExists(join(runPath(run, "model"), "model.json"))) return run;
  }
  return undefined;
}

/**
 * The newest run of the same experiment as `config` that is training now in a
 * live process on this host (a run on another host cannot be checked, and a
 * `running` manifest whose process is gone is stale, not training).
 *
 * @param resultsRoot Results folder.
 * @param config The resolved config to match.
 * @returns The run and its process, or undefined when none is training.
 * @example
 * ```ts
 * const training = await findTrainingIdenticalRun("results", parseRunConfig({ name: "x", model: { family: "small_cnn" } }));
 * ```
 */
export async function findTrainingIdenticalRun(resultsRoot: string, config: RunConfig): Promise<{ run: RunHandle; process: RunProcess } | undefined> {
  for await (const { run, manifest } of identicalRuns(resultsRoot, config)) {
    if (manifest?.status !== "running" || manifest.process?.host !== hostname()) continue;
    if ((await runState(run, manifest)).status === "running") return { run, process: manifest.process };
  }
  return undefined;
}

/**
 * The runs of the same experiment as `config`, newest first, each with its manifest (undefined when it has none;
 * a damaged one throws, as readRunJson does). Saved configs are resolved again with today's schema.
 */
async function* identicalRuns(resultsRoot: string, config: RunConfig): AsyncGenerator<{ run: RunHandle; manifest: RunManifest | undefined }> {
  const hash = experimentHash(config);
  for (const id of (await listRunIds(resultsRoot)).reverse()) {
    const run = await openRun(resultsRoot, id);
    const saved = resolvedOrNull(await readRunJson<unknown>(run, "config"));
    if (saved === null || experimentHash(saved) !== hash) continue;
    yield { run, manifest: await readRunJson<RunManifest>(run, "manifest") };
  }
}

/**
 * The hash of what decides the trained model: the config less its labels (name
 * and free-text notes) and its own test-time augmentation (which changes how
 * the run scored itself, not the weights; an ensemble sets its members' TTA),
 * so editing a note, renaming a config or scoring it another way never retrains.
 *
 * @param config A resolved config.
 * @returns 64 hex digits.
 * @example
 * ```ts
 * const a = parseRunConfig({ name: "a", model: { family: "small_cnn" } });
 * console.assert(experimentHash(a) === experimentHash({ ...a, name: "b", notes: "renamed" }));
 * ```
 */
export function experimentHash(config: RunConfig): string {
  return configHash({ ...config, name: undefined, notes: undefined, tta: undefined });
}

function resolvedOrNull(saved: unknown): RunConfig | null {
  if (saved === undefined || saved === null) return null;
  try {
    return parseRunConfig(saved);
  } catch {
    return null;
  }
}
