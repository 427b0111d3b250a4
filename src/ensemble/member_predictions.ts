/**
 * A member's validation and test probabilities, recomputed from its saved
 * model with its own dataset options.
 *
 * @module
 */
import { join } from "node:path";
import { leakedFlags } from "../data/find_leaked_images.ts";
import { loadDataset } from "../data/load_dataset.ts";
import { selectImages } from "../data/limit_image_set.ts";
import type { ImageSet } from "../data/image_set.ts";
import { pathExists } from "../data/path_exists.ts";
import { ConfigError } from "../core/errors.ts";
import { datasetLoadOptions } from "../experiment/dataset_load_options.ts";
import { type PredictionRecord, readPredictions } from "../experiment/read_predictions.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { resolveDatasetRoot } from "../experiment/resolve_dataset_root.ts";
import { readRunJson, type RunHandle, runPath } from "../experiment/run_store.ts";
import { makeRng } from "../core/seed.ts";
import { configHash } from "../core/config_hash.ts";
import { dataFingerprint, REFERENCE_DECODE } from "./data_fingerprint.ts";
import { scoreCache } from "../experiment/score_cache.ts";
import { type ModelScorer, modelScorer, type ModelScorerOptions } from "../experiment/model_scorer.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { predictOnDataset } from "../experiment/evaluate_on_dataset.ts";
import { matchClassLabels } from "../transfer/match_class_labels.ts";
import type { EnsembleDataset } from "./ensemble_config.ts";

/** One split as a member saw it. */
export interface SplitPredictions {
  /** Image paths relative to the dataset root, in evaluation order. */
  paths: string[];
  /** True class per image. */
  labels: number[];
  /** Class probabilities per image (averaged over TTA views when TTA is on). */
  probabilities: number[][];
  /** Per image, true when it has an exact or near copy in train (see findLeakedImages); absent when unknown. */
  leaked?: boolean[];
}

/** Everything the ensemble needs from one member. */
export interface MemberPredictions {
  runId: string;
  /** The name tables show: the run's own, or its member config's current one (see runEnsemble). */
  name: string;
  /** The name the run was trained under, when `name` is a renamed config's. */
  runName?: string;
  classes: string[];
  /** SHA-256 of the member's resolved config.json (see configHash). */
  configHash: string;
  /** The member's dataset fingerprint (with its decode options), as its manifest records it. */
  fingerprint: string;
  /** The same files' fingerprint with the reference decode: equal across members that read the same data. */
  dataFingerprint: string;
  datasetRoot: string;
  synthetic: boolean;
  /** Where the member's validation images came from (`folder` or `split_from_train`), from its manifest. */
  validationSource: string;
  tta: TtaConfig | null;
  /** Largest difference from the member's own predictions.csv (a check that its preprocessing was reproduced); null when `tta` differs from the views the run scored itself with. */
  maxDeviation: number | null;
  validation: SplitPredictions;
  test: SplitPredictions | null;
  /** The dataset folder the member was trained on, when the ensemble's `dataset` is another. */
  trainedOn?: string;
}

/** What {@linkcode memberPredictions} is told besides the run. */
interface MemberPredictionOptions {
  projectRoot: string;
  cacheDir: string | null;
  tta: TtaConfig | null;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Keep the member's probabilities in the score cache (`<cacheDir>/predictions`, see score_cache.ts) with these
   * facts besides the model, the images and the views: the backend and its precision. Absent: nothing is cached.
   */
  scoredWith?: Record<string, unknown>;
  /** The progress callback of one split's pass, asked for only when the split is scored (not read from the cache). */
  progress?: (split: string) => ((done: number, total: number) => void) | undefined;
  /** How the model is scored: {@linkcode modelScorer} (the default), or `estimatingScorer` to price the scoring. */
  scorer?: (options: ModelScorerOptions) => ModelScorer;
}

/**
 * Loads the member's model and its dataset, decoded, preprocessed and
 * blurred (`evalBlurSigma`) as in its training, and predicts the validation
 * and test images its predictions.csv lists, in that order, with `tta`.
 * With `on` (the ensemble's `dataset`), it predicts that dataset's validation
 * and test images instead, its outputs restricted to `on.classes`.
 *
 * @param run A finished single-model run.
 * @param options Project folder, decode cache, the TTA settings, the ensemble's dataset (null: the member's own),
 *   where to say that a member's training folder is missing (its leak check cannot be made), a signal that
 *   stops the predictions after the view or batch they are in (a Ctrl-C), `scoredWith` to keep the probabilities
 *   in the score cache (see score_cache.ts), and the progress of a split's pass.
 * @returns The member's predictions.
 * @throws {ConfigError} When the run is an ensemble, unfinished, or its dataset changed since it was trained.
 * @throws The signal's reason when it is aborted during the predictions.
 * @example
 * ```ts
 * const member = await memberPredictions(await openRun("results", id), { projectRoot: ".", cacheDir: null, tta: null });
 * ```
 */
export async function memberPredictions(
  run: RunHandle,
  options: MemberPredictionOptions & { on?: EnsembleDataset | null },
): Promise<MemberPredictions> {
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  if (config?.kind === "ensemble") throw new ConfigError(`Member run ${run.id} is an ensemble; members must be single-model runs`);
  if (!config || !manifest || !["completed", "interrupted"].includes(manifest.status)) {
    throw new ConfigError(
      `Member run ${run.id} has status ${manifest?.status ?? "unknown"}; members must be completed runs (see deno task fer list)`,
    );
  }
  if (options.on) return await predictionsOnDataset(run, config, { ...options, on: options.on });
  const root = await pathExists(join(manifest.dataset.root, "train"), { kind: "directory" })
    ? manifest.dataset.root
    : (await resolveDatasetRoot(config.dataset.root, { projectRoot: options.projectRoot, classes: config.dataset.classes })).root;
  const dataset = await loadDataset(root, datasetLoadOptions(config, options.cacheDir));
  if (dataset.fingerprint !== manifest.dataset.fingerprint) {
    throw new ConfigError(
      `Member run ${run.id} was trained on dataset ${manifest.dataset.fingerprint.slice(0, 12)} (${manifest.dataset.root}) but ${root} ` +
        `now has fingerprint ${dataset.fingerprint.slice(0, 12)}; the data changed since: retrain the member or restore its dataset`,
    );
  }
  const saved = await readPredictions(run);
  const cache = options.scoredWith ? scoreCache(options.cacheDir, "predictions") : null;
  const { preprocessing, evalBlurSigma: blurSigma } = config.dataset;
  const scorer = (options.scorer ?? modelScorer)({
    purpose: "predictions",
    modelDir: runPath(run, "model"),
    columns: config.dataset.classes.length,
    preprocessing,
    blurSigma,
    tta: options.tta,
    rng: makeRng(config.seed),
    cache,
    scoredWith: { dataset: dataset.fingerprint, ...options.scoredWith },
    signal: options.signal,
    log: options.log,
  });
  const predict = async (split: "validation" | "test", set: ImageSet | undefined): Promise<SplitPredictions | null> => {
    const rows = saved.filter((row) => row.split === split);
    if (rows.length === 0) return null;
    const subset = selectByPath(set, rows, run.id);
    const scored = await scorer.scores(subset, { name: `Member ${run.id}, ${split}`, progress: () => options.progress?.(split) });
    return {
      paths: subset.paths,
      labels: Array.from(subset.labels),
      probabilities: scored.rows.map((r) => Array.from(r)),
      leaked: leakedFlags(subset.paths, dataset.leakage),
    };
  };
  try {
    const validation = (await predict("validation", dataset.splits.validation))!;
    const test = await predict("test", dataset.splits.test);
    if (test === null && manifest.status === "interrupted" && (dataset.splits.test?.count ?? 0) > 0) {
      throw new ConfigError(
        `Member run ${run.id} is interrupted and was scored on validation only (test is read once, by a finished model): ` +
          `go on with it first (deno task fer resume ${run.id}), or name a completed run`,
      );
    }
    const decode = dataset.decode;
    const sameDecode = decode.size === REFERENCE_DECODE.size && decode.channels === REFERENCE_DECODE.channels &&
      decode.equalize === REFERENCE_DECODE.equalize;
    return {
      runId: run.id,
      name: config.name,
      classes: [...config.dataset.classes],
      configHash: configHash(config),
      fingerprint: dataset.fingerprint,
      dataFingerprint: sameDecode ? dataset.fingerprint : await dataFingerprint(root, config.dataset.classes),
      datasetRoot: root,
      synthetic: dataset.synthetic,
      validationSource: manifest.dataset.validationSource,
      tta: options.tta,
      // predictions.csv holds the views the run scored itself with (config tta, none in older runs).
      maxDeviation: sameTta(options.tta, config.tta ?? null) ? deviation(saved, [validation, test], config.dataset.classes) : null,
      validation,
      test,
    };
  } finally {
    scorer.dispose();
  }
}

/**
 * The member on the ensemble's own dataset: its validation and test images (test when the folder has one),
 * decoded with the member's options, its outputs restricted to the ensemble's classes. The images with a copy
 * in that dataset's train split, or in the train split of the folder the member was trained on (FER-2013
 * Training, of which the 4-class train split is a part), are flagged as leaked.
 */
async function predictionsOnDataset(
  run: RunHandle,
  config: RunConfig,
  options: MemberPredictionOptions & { on: EnsembleDataset },
): Promise<MemberPredictions> {
  const { classes } = options.on;
  // Checked first, with a fix in the ensemble's terms (predictOnDataset's names the CLI's --classes).
  matchClassLabels(classes, config.dataset.classes, {
    source: `member run ${run.id}`,
    fix: "the ensemble's dataset.classes may name only classes every member was trained on",
  });
  const { root } = await resolveDatasetRoot(options.on.root, { projectRoot: options.projectRoot, classes });
  const hasTest = await pathExists(join(root, "test"), { kind: "directory" });
  const predicted = await predictOnDataset(run, root, {
    splits: hasTest ? ["validation", "test"] : ["validation"],
    cacheDir: options.cacheDir,
    tta: options.tta,
    classes,
    signal: options.signal,
    scoredWith: options.scoredWith,
    progress: options.progress,
    log: options.log,
    scorer: options.scorer,
  });
  if (predicted.trainedOn?.checked === false) {
    options.log?.(
      `Member ${run.id} was trained on ${predicted.trainedOn.root}, which is not here: which of ${predicted.root}'s images it saw ` +
        "cannot be checked, so the ensemble has no leak-free figures; restore that folder to get them",
    );
  }
  const split = (name: string): SplitPredictions | null => {
    const found = predicted.splits[name];
    if (!found) return null;
    return {
      paths: found.set.paths,
      labels: Array.from(found.set.labels),
      probabilities: found.probabilities.map((row) => Array.from(row)),
      // A copy in the ensemble dataset's train split, or in the member's own (predictOnDataset checks both).
      leaked: found.leaked,
    };
  };
  return {
    runId: run.id,
    name: config.name,
    classes: [...classes],
    configHash: configHash(config),
    fingerprint: predicted.fingerprint,
    dataFingerprint: await dataFingerprint(predicted.root, classes),
    datasetRoot: predicted.root,
    synthetic: predicted.synthetic,
    validationSource: "folder",
    tta: options.tta,
    // Its predictions.csv holds other images (its own data's), so there is nothing to check them against.
    maxDeviation: null,
    validation: split("validation")!,
    test: split("test"),
    ...(predicted.trainedOn && { trainedOn: predicted.trainedOn.root }),
  };
}

function sameTta(a: TtaConfig | null, b: TtaConfig | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function selectByPath(set: ImageSet | undefined, rows: readonly PredictionRecord[], runId: string): ImageSet {
  const index = new Map((set?.paths ?? []).map((path, i) => [path, i]));
  const missing = rows.find((row) => !index.has(row.path));
  if (!set || missing) {
    throw new ConfigError(
      `Image ${missing?.path ?? rows[0].path} in the predictions.csv of member run ${runId} is not in its dataset; restore the dataset it was trained on`,
    );
  }
  return selectImages(set, rows.map((row) => index.get(row.path)!));
}

function deviation(saved: readonly PredictionRecord[], splits: (SplitPredictions | null)[], classes: readonly string[]): number {
  const byPath = new Map(saved.map((row) => [`${row.split}:${row.path}`, row]));
  let largest = 0;
  splits.forEach((split, s) => {
    split?.paths.forEach((path, i) => {
      const row = byPath.get(`${s === 0 ? "validation" : "test"}:${path}`)!;
      classes.forEach((name, c) => (largest = Math.max(largest, Math.abs(row.probabilities[name] - split.probabilities[i][c]))));
    });
  });
  return largest;
}
