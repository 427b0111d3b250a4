/**
 * Finds an earlier run of the same experiment, so that work already done is
 * reused instead of trained again (ensemble members, a run's starting weights).
 *
 * @module
 */
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { configHash } from "../core/config_hash.ts";
import { DatasetError } from "../core/errors.ts";
import { folderFingerprint } from "../data/folder_fingerprint.ts";
import { pathExists } from "../data/path_exists.ts";
import { readRunConfig } from "./read_run_config.ts";
import { resolveDatasetRoot } from "./resolve_dataset_root.ts";
import { parseRunConfig, type RunConfig } from "./run_config.ts";
import type { RunManifest, RunProcess } from "./run_manifest.ts";
import { canResume, resumePoint } from "./resumable_run.ts";
import { listRunIds, openRun, readRunJson, type RunHandle, runPath, runState } from "./run_store.ts";

/**
 * The newest completed run, with a saved model, whose resolved config is the
 * same experiment as `config`: identical but for its name, free-text notes and
 * test-time augmentation (see {@linkcode experimentHash}). Saved configs are
 * resolved again with today's schema, so a run saved before a field with a
 * default was added still counts as the same experiment; its dataset's files
 * and the runs it learned from must be what the config names now.
 *
 * @param resultsRoot Results folder.
 * @param config The resolved config to match.
 * @param projectRoot The folder the config's dataset root and source paths are relative to.
 * @returns The run, or undefined when there is none.
 * @example
 * ```ts
 * const earlier = await findIdenticalRun("results", parseRunConfig({ name: "x", model: { family: "small_cnn" } }), ".");
 * ```
 */
export async function findIdenticalRun(resultsRoot: string, config: RunConfig, projectRoot: string): Promise<RunHandle | undefined> {
  let data: string | null | undefined;
  for await (const { run, manifest } of identicalRuns(resultsRoot, config, projectRoot)) {
    if (manifest?.status !== "completed" || !await pathExists(join(runPath(run, "model"), "model.json"))) continue;
    // The data a root names can change (this dataset's train split did): a run on other files is another
    // experiment. Hashed once, and only for a run that could be reused: hashing a dataset's files takes seconds.
    data = data === undefined ? await datasetFingerprintNow(config, projectRoot) : data;
    if (data !== null && manifest.dataset?.fingerprint === data) return run;
  }
  return undefined;
}

/**
 * The newest run of the same experiment as `config` that stopped before it
 * completed (interrupted, failed, or stale: its process is gone) and kept its
 * training checkpoint, on the dataset's files as they are now: a run `fer
 * resume` can go on with, so that a source or an ensemble member stopped in an
 * earlier sitting (or by Ctrl-C, or a crash) is not trained again from its
 * first epoch. It is only looked for when no completed run is there.
 *
 * @param resultsRoot Results folder.
 * @param config The resolved config to match.
 * @param projectRoot The folder the config's dataset root and source paths are relative to.
 * @param except A run not to return (`fer rerun`'s original, when it stopped too). @default none
 * @returns The run, or undefined when there is none.
 * @example
 * ```ts
 * const stopped = await findResumableIdenticalRun("results", parseRunConfig({ name: "x", model: { family: "small_cnn" } }), ".");
 * ```
 */
export async function findResumableIdenticalRun(
  resultsRoot: string,
  config: RunConfig,
  projectRoot: string,
  except?: string,
): Promise<RunHandle | undefined> {
  let data: string | null | undefined;
  for await (const { run, manifest } of identicalRuns(resultsRoot, config, projectRoot)) {
    if (run.id === except || !await canResume(run, manifest)) continue;
    data = data === undefined ? await datasetFingerprintNow(config, projectRoot) : data;
    if (data !== null && manifest?.dataset?.fingerprint === data) return run;
  }
  return undefined;
}

/**
 * A line for a user about to start a run of `config` afresh while a run of the same experiment stopped before it
 * completed, with its checkpoint (a sitting's end, Ctrl-C, a crash): starting again is not always meant (the same
 * command run again after a sitting), and costs the epochs already trained. Null when there is no such run.
 * Sources and ensemble members take such a run up themselves; a plain run does not, since a user who stopped it
 * to change the code would otherwise go on with stale weights without knowing.
 *
 * @param resultsRoot Results folder.
 * @param config The config about to run.
 * @param projectRoot The folder the config's dataset root and source paths are relative to.
 * @param goOn How the user goes on with a run, e.g. `(id) => \`deno task fer resume ${id}\``.
 * @returns The line, or null.
 * @example
 * ```ts
 * const note = await stoppedIdenticalRunNote("results", config, ".", (id) => `deno task fer resume ${id}`);
 * if (note) console.error(note);
 * ```
 */
export async function stoppedIdenticalRunNote(
  resultsRoot: string,
  config: RunConfig,
  projectRoot: string,
  goOn: (runId: string) => string,
): Promise<string | null> {
  const stopped = await findResumableIdenticalRun(resultsRoot, config, projectRoot);
  if (!stopped) return null;
  const point = await resumePoint(resultsRoot, stopped.id);
  const where = point ? ` after epoch ${point.epochsDone} of ${point.epochs}` : "";
  return `Note: run ${stopped.id} of this config and seed stopped${where} with its checkpoint; this starts a new run from its first epoch. ` +
    `To go on with that one instead, stop this one and use: ${goOn(stopped.id)}`;
}

/**
 * The newest run of the same experiment as `config` that is training now in a
 * live process on this host (a run on another host cannot be checked, and a
 * `running` manifest whose process is gone is stale, not training).
 *
 * @param resultsRoot Results folder.
 * @param config The resolved config to match.
 * @param projectRoot The folder the config's dataset root and source paths are relative to.
 * @returns The run and its process, or undefined when none is training.
 * @example
 * ```ts
 * const training = await findTrainingIdenticalRun("results", parseRunConfig({ name: "x", model: { family: "small_cnn" } }), ".");
 * ```
 */
export async function findTrainingIdenticalRun(
  resultsRoot: string,
  config: RunConfig,
  projectRoot: string,
): Promise<{ run: RunHandle; process: RunProcess } | undefined> {
  // Not checked against the data: a waiting run looks for a completed one (findIdenticalRun) when this one ends.
  for await (const { run, manifest } of identicalRuns(resultsRoot, config, projectRoot)) {
    if (manifest?.status !== "running" || manifest.process?.host !== hostname()) continue;
    if ((await runState(run, manifest)).status === "running") return { run, process: manifest.process };
  }
  return undefined;
}

/**
 * The runs of the same experiment as `config`, newest first, each with its manifest (undefined when it has none;
 * a damaged one throws, as readRunJson does). Saved configs are resolved again with today's schema. A config that
 * names its starting weights or teachers by config path is the same experiment only if the runs it learned from
 * were of what those files hold now: the path says where a source's config is, not what it is, so it is left out
 * of the match (a source config renamed since, and the configs naming it edited to follow, still match) and the
 * file's content is checked against the run's recorded source instead (it may have changed: a config renamed
 * onto another's path, an edited source).
 */
async function* identicalRuns(
  resultsRoot: string,
  config: RunConfig,
  projectRoot: string,
): AsyncGenerator<{ run: RunHandle; manifest: RunManifest | undefined }> {
  const hash = reuseHash(config);
  let sourceHashes: Map<string, string | null> | undefined;
  for (const id of (await listRunIds(resultsRoot)).reverse()) {
    const run = await openRun(resultsRoot, id);
    const saved = resolvedOrNull(await readRunJson<unknown>(run, "config"));
    if (saved === null || reuseHash(saved) !== hash) continue;
    const manifest = await readRunJson<RunManifest>(run, "manifest");
    sourceHashes ??= await namedSourceHashes(config, projectRoot);
    if (!await learnedFromSameSources(resultsRoot, config, manifest, sourceHashes)) continue;
    yield { run, manifest };
  }
}

/**
 * The fingerprint of the config's dataset as its folder is now (the run's would be the same if it trained on these
 * files: the data a root names can change, as this dataset's train split did); null when the folder holds no
 * dataset, so that nothing is reused and the run itself says what is wrong.
 */
async function datasetFingerprintNow(config: RunConfig, projectRoot: string): Promise<string | null> {
  const { classes, size, channels, equalize } = config.dataset;
  try {
    const { root } = await resolveDatasetRoot(config.dataset.root, { projectRoot, classes });
    return await folderFingerprint(root, { classes, decode: { size, channels, equalize } });
  } catch (error) {
    if (error instanceof DatasetError) return null;
    throw error;
  }
}

/** The experiment hash of each source config path the config names (null for one that does not read as a run config). */
async function namedSourceHashes(config: RunConfig, projectRoot: string): Promise<Map<string, string | null>> {
  const hashes = new Map<string, string | null>();
  for (const { reference } of sourceReferences(config, undefined)) {
    if (!namesRunConfig(reference) || hashes.has(reference)) continue;
    try {
      hashes.set(reference, experimentHash(await readRunConfig(resolve(projectRoot, reference))));
    } catch {
      hashes.set(reference, null);
    }
  }
  return hashes;
}

/**
 * Whether each source the config names by path was, for this run, a run of the same experiment as that path's
 * config now. A run that does not record its source runs (a manifest from before they were recorded), or whose
 * source run is gone, cannot show it and is not reused.
 */
async function learnedFromSameSources(
  resultsRoot: string,
  config: RunConfig,
  manifest: RunManifest | undefined,
  sourceHashes: ReadonlyMap<string, string | null>,
): Promise<boolean> {
  for (const { reference, usedRun } of sourceReferences(config, manifest)) {
    if (!namesRunConfig(reference)) continue;
    const now = sourceHashes.get(reference);
    if (!now || !usedRun) return false;
    let source: RunConfig | null;
    try {
      source = resolvedOrNull(await readRunJson<unknown>(await openRun(resultsRoot, usedRun), "config"));
    } catch {
      return false; // the source run is gone or damaged
    }
    if (source === null || experimentHash(source) !== now) return false;
  }
  return true;
}

/** The config's source references (initFrom, then each teacher), each with the run the manifest says it used. */
function sourceReferences(config: RunConfig, manifest: RunManifest | undefined): { reference: string; usedRun: string | undefined }[] {
  const { initFrom, distill } = config.training;
  return [
    ...(initFrom === null ? [] : [{ reference: initFrom, usedRun: manifest?.initFrom?.run }]),
    ...(distill?.teachers ?? []).map((reference, i) => ({ reference, usedRun: manifest?.distill?.teachers[i]?.run })),
  ];
}

/**
 * Whether a source reference names a run config file (a path ending in
 * `.json`, found or trained) rather than a run id.
 *
 * @param reference A `training.initFrom` value or a distillation teacher.
 * @returns True for a config path.
 * @example
 * ```ts
 * console.assert(namesRunConfig("experiments/small_cnn.json") && !namesRunConfig("20261204-061954-small_cnn-0b2e78"));
 * ```
 */
export function namesRunConfig(reference: string): boolean {
  return /\.json$/i.test(reference);
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

/**
 * The experiment hash with each source named by config path (`training.initFrom`, distillation teachers) reduced to
 * "a config path": what the path holds is checked apart ({@linkcode learnedFromSameSources}). A source named by run
 * id stays, as it names exactly what was learned from.
 */
function reuseHash(config: RunConfig): string {
  const { initFrom, distill } = config.training;
  const placeholder = (reference: string) => namesRunConfig(reference) ? "<run config>" : reference;
  return experimentHash({
    ...config,
    training: {
      ...config.training,
      initFrom: initFrom === null ? null : placeholder(initFrom),
      distill: distill ? { ...distill, teachers: distill.teachers.map(placeholder) } : distill,
    },
  });
}

function resolvedOrNull(saved: unknown): RunConfig | null {
  if (saved === undefined || saved === null) return null;
  try {
    return parseRunConfig(saved);
  } catch {
    return null;
  }
}
