/**
 * Evaluates a saved run's model on any dataset in the folder layout, decoded
 * and preprocessed as in training (for cross-dataset checks), optionally with
 * test-time augmentation or restricted to some of the run's classes.
 *
 * @module
 */
import { loadDataset } from "../data/load_dataset.ts";
import { SPLITS, type SplitName } from "../data/classes.ts";
import type { ImageSet } from "../data/image_set.ts";
import { type Leakage, leakedFlags, withoutLeakedImages } from "../data/find_leaked_images.ts";
import { pathExists } from "../data/path_exists.ts";
import { join } from "node:path";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import { ConfigError } from "../core/errors.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { makeRng } from "../core/seed.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import { scoreCache } from "./score_cache.ts";
import { type ModelScorer, modelScorer, type ModelScorerOptions } from "./model_scorer.ts";
import { selectClassRows } from "../models/select_classes.ts";
import { matchClassLabels } from "../transfer/match_class_labels.ts";
import type { RunConfig } from "./run_config.ts";
import { readRunJson, type RunHandle, runPath } from "./run_store.ts";
import type { RunManifest } from "./run_manifest.ts";
import { anyLeaked, leakedFromOwnTraining } from "./own_training_leakage.ts";

/** What {@linkcode evaluateOnDataset} returns. */
export interface DatasetEvaluation {
  runId: string;
  root: string;
  /** Gaussian blur applied to the inputs (0 = none). */
  blurSigma: number;
  /** Test-time augmentation the probabilities were averaged over; null for none. */
  tta: TtaConfig | null;
  /**
   * The face detector's input size when the images were uncropped photos whose
   * faces were found and cropped first (`fer eval --detect`); absent for cropped faces.
   */
  detectorInputSize?: number;
  /**
   * The classes the evaluation was restricted to, in label order (`fer eval --classes`):
   * the model's other outputs were dropped and each row renormalised. Absent when the
   * run's classes were all used.
   */
  classes?: string[];
  /** How many classes the run's model has; present with `classes`. */
  runClassCount?: number;
  /** As {@linkcode DatasetPredictions.trainedOn}: the leak-free figures also leave out copies of that folder's train images. */
  trainedOn?: { root: string; checked: boolean };
  fingerprint: string;
  synthetic: boolean;
  /** Metrics per evaluated split. */
  splits: Record<string, SplitMetrics>;
}

/** A run's probabilities on the images of some splits of a dataset, before scoring. */
export interface DatasetPredictions {
  /** The dataset root as loaded. */
  root: string;
  fingerprint: string;
  synthetic: boolean;
  /** Class names of the probability columns, in label order (as given in `classes`, when given). */
  classes: string[];
  /** Gaussian blur applied to the inputs (0 = none): the option's, else the run's `dataset.evalBlurSigma`. */
  blurSigma: number;
  /** The TTA views averaged: the option's, else the run's config `tta`; null for one view. */
  tta: TtaConfig | null;
  /** Whether the columns are a restriction of the run's classes (false when `classes` named them all, in order). */
  restricted: boolean;
  /**
   * The folder the run was trained on, when it is not `root`, and whether its train split was here to check the
   * evaluated images against (`leaked` then also marks their copies there; unchecked, `leaked` is undefined).
   */
  trainedOn?: { root: string; checked: boolean };
  /** Per split: the images (paths and labels), each image's probabilities and whether it has a copy in train. */
  splits: Record<string, { set: ImageSet; probabilities: Float32Array[]; leaked: boolean[] | undefined }>;
}

/** What {@linkcode predictOnDataset} and {@linkcode evaluateOnDataset} are told besides the run and the folder. */
export interface PredictOnDatasetOptions {
  /** The splits to predict (default: every split the dataset has). */
  splits?: string[];
  /** The decode cache folder, which also holds the score cache; null: neither. */
  cacheDir: string | null;
  /** Gaussian blur of the inputs, over the run's `dataset.evalBlurSigma`. */
  blurSigma?: number;
  /** Test-time views, over the run's config `tta` (null: one view). */
  tta?: TtaConfig | null;
  /** Two or more of the run's classes, in the label order wanted: the evaluation is restricted to them. */
  classes?: readonly string[];
  /** Stops the predictions after the view or batch they are in. */
  signal?: AbortSignal;
  /**
   * Keep the probabilities in the score cache (`<cacheDir>/predictions`, see score_cache.ts) with these facts
   * besides the model, the images and the views: the backend's `backendFacts`. Absent: nothing is cached.
   */
  scoredWith?: Record<string, unknown>;
  /** The progress callback of one split's pass, asked for only when the split is scored (not read from the cache). */
  progress?: (split: string) => ((done: number, total: number) => void) | undefined;
  /** Where a damaged or unwritable cache entry is said. */
  log?: (line: string) => void;
  /** How the model is scored: {@linkcode modelScorer} (the default), or `estimatingScorer` to price the scoring. */
  scorer?: (options: ModelScorerOptions) => ModelScorer;
}

/**
 * Loads the run's model and config, decodes `root` with the run's classes,
 * size, channels and equalisation (other sizes and colour images are
 * converted), and predicts the chosen splits: the part of
 * {@linkcode evaluateOnDataset} before scoring, which ensembles also use.
 *
 * @param run A finished single-model run.
 * @param root Dataset root.
 * @param options As {@linkcode evaluateOnDataset}'s (see {@linkcode PredictOnDatasetOptions}).
 * @returns Probabilities per split, with the dataset fingerprint.
 * @throws {ConfigError} As {@linkcode evaluateOnDataset}.
 * @throws The signal's reason when it is aborted during the predictions.
 * @example
 * ```ts
 * const { splits } = await predictOnDataset(run, "data/other", { splits: ["test"], cacheDir: null });
 * ```
 */
export async function predictOnDataset(
  run: RunHandle,
  root: string,
  options: PredictOnDatasetOptions,
): Promise<DatasetPredictions> {
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  if (config.kind === "ensemble") {
    throw new ConfigError(`Run ${run.id} is an ensemble; this step takes a single-model run (fer eval takes both)`);
  }
  const unknown = (options.splits ?? []).find((name) => !(SPLITS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new ConfigError(`Split "${unknown}" is not in ${root}: a dataset's splits are ${SPLITS.join(", ")}`);
  // Only the splits asked for are read, so a root without train/ can be evaluated on its test split.
  const known = (options.splits ?? [...SPLITS]) as SplitName[];
  const runClasses = config.dataset.classes;
  const restriction = options.classes === undefined ? null : restrictionColumns(run.id, runClasses, options.classes);
  // Every class of the run, in its order, is no restriction: scored and recorded as a plain evaluation.
  const unrestricted = restriction === null || restriction.every((column, i) => column === i) && restriction.length === runClasses.length;
  const classes = options.classes === undefined ? runClasses : [...options.classes];
  const loadOptions = { ...datasetLoadOptions(config, options.cacheDir), classes };
  const dataset = await loadDataset(root, { ...loadOptions, splits: known });
  // Asked for validation or test alone, the dataset was read without train; the leak-free figures
  // still need train's images, read apart so that the fingerprint stays the asked splits'.
  const leakage = dataset.leakage ?? await leakageAgainstTrain(dataset.root, loadOptions, known);
  // loadDataset drops leaked images itself only when it read train; otherwise drop them here, alike.
  const dropHere = loadOptions.dropLeaked && !dataset.droppedLeaked && leakage !== null;
  const available: Record<string, ImageSet | undefined> = dropHere ? withoutLeakedImages(dataset.splits, leakage) : dataset.splits;
  const names = options.splits ?? Object.keys(available).filter((name) => (available[name]?.count ?? 0) > 0);
  // A run trained on another folder (a 7-class FER-2013 net read on the 4-class dataset) may have seen copies
  // of these images that this dataset's train split does not hold: leak-free leaves out both.
  const evaluated = Object.fromEntries(names.filter((name) => name !== "train" && available[name]).map((name) => [name, available[name]!.paths]));
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const own = await leakedFromOwnTraining(
    { config, trainRoot: manifest?.dataset?.root, root: dataset.root, classes, cacheDir: options.cacheDir },
    evaluated,
  );
  const leakedIn = (name: string, set: ImageSet): boolean[] | undefined => {
    const here = leakedFlags(set.paths, leakage);
    if (own.kind === "same_data" || name === "train") return here;
    return anyLeaked([here, own.kind === "checked" ? own.flags[name] : undefined]);
  };
  const blurSigma = options.blurSigma ?? config.dataset.evalBlurSigma ?? 0;
  // As the run scored itself unless told otherwise (null asks for one view).
  const tta = options.tta !== undefined ? options.tta : config.tta ?? null;
  const scorer = (options.scorer ?? modelScorer)({
    purpose: "predictions",
    modelDir: runPath(run, "model"),
    // The model's output width: restricted, the rows keep every class until selectClassRows.
    columns: runClasses.length,
    preprocessing: config.dataset.preprocessing,
    blurSigma,
    tta,
    rng: makeRng(config.seed),
    cache: options.scoredWith ? scoreCache(options.cacheDir, "predictions") : null,
    scoredWith: { dataset: dataset.fingerprint, ...options.scoredWith },
    signal: options.signal,
    log: options.log,
  });
  const splits: DatasetPredictions["splits"] = {};
  try {
    for (const name of names) {
      const set = available[name];
      if (!set || set.count === 0) {
        throw new ConfigError(`Split "${name}" is not in ${root}; it has: ${Object.keys(available).filter((k) => available[k]?.count).join(", ") || "no images of the run's classes in the splits asked for"}`);
      }
      const scored = await scorer.scores(set, { name: `Run ${run.id}, ${name}`, progress: () => options.progress?.(name) });
      const probabilities = unrestricted ? scored.rows : selectClassRows(scored.rows, restriction!);
      splits[name] = { set, probabilities, leaked: leakedIn(name, set) };
    }
  } finally {
    scorer.dispose();
  }
  return {
    root: dataset.root,
    fingerprint: dataset.fingerprint,
    synthetic: dataset.synthetic,
    classes: [...classes],
    blurSigma,
    tta,
    restricted: !unrestricted,
    ...(own.kind !== "same_data" && { trainedOn: { root: own.trainRoot, checked: own.kind === "checked" } }),
    splits,
  };
}

/**
 * Loads the run's model and config, decodes `root` with the run's classes,
 * size, channels and equalisation (other sizes and colour images are
 * converted), and evaluates the chosen splits.
 *
 * @param run A finished run.
 * @param root Dataset root.
 * @param options Splits to evaluate (default: every split the dataset has), the decode cache,
 *   `blurSigma` to override the run's `dataset.evalBlurSigma`, `tta` to average the model's
 *   probabilities over flipped, shifted or cropped views (default: the run's config `tta`; null for
 *   one view), and `classes` to
 *   restrict the evaluation to 2 or more of the run's classes, in the label order wanted
 *   (default: all the run's classes). Restricted, the dataset is read with those classes
 *   (other class folders are skipped), the model's columns for them are kept in that order
 *   and each row is renormalised to sum to 1, as the packaged 7-class nets are restricted
 *   (names match the run's classes as {@linkcode matchClassLabels} matches them; the
 *   dataset's folders are read by the names given); a signal stops the predictions after the view or
 *   batch they are in (its reason is thrown); `scoredWith` keeps the predictions in the score cache,
 *   `progress` shows a split's pass (see {@linkcode PredictOnDatasetOptions}).
 * @returns Metrics per split, with the dataset fingerprint.
 * @throws {ConfigError} When a requested split is not in the dataset, the run is an ensemble,
 *   or `classes` names a class the run does not have, fewer than 2 classes or one class twice.
 * @example
 * ```ts
 * const result = await evaluateOnDataset(run, "data/other", { splits: ["test"], cacheDir: null, tta: ttaFromList("flip") });
 * ```
 */
export async function evaluateOnDataset(
  run: RunHandle,
  root: string,
  options: PredictOnDatasetOptions,
): Promise<DatasetEvaluation> {
  const predicted = await predictOnDataset(run, root, options);
  const config = (await readRunJson<RunConfig>(run, "config"))!;
  const rng = makeRng(config.seed);
  const splits: Record<string, SplitMetrics> = {};
  for (const [name, split] of Object.entries(predicted.splits)) {
    splits[name] = evaluatePredictions(split.probabilities, split.set.labels, { labels: predicted.classes, rng }, { leaked: split.leaked });
  }
  return {
    runId: run.id,
    root: predicted.root,
    blurSigma: predicted.blurSigma,
    tta: predicted.tta,
    ...(predicted.restricted ? { classes: predicted.classes, runClassCount: config.dataset.classes.length } : {}),
    ...(predicted.trainedOn && { trainedOn: predicted.trainedOn }),
    fingerprint: predicted.fingerprint,
    synthetic: predicted.synthetic,
    splits,
  };
}

/**
 * Which images of the splits asked for have a copy in the root's train split, found as
 * loadDataset finds them for a whole dataset (read with train, before any equalisation, so
 * the leak-free part is the same for every run); null when the root has no train images.
 */
async function leakageAgainstTrain(
  root: string,
  loadOptions: NonNullable<Parameters<typeof loadDataset>[1]>,
  splits: readonly SplitName[],
): Promise<Leakage | null> {
  if (!(await pathExists(join(root, "train"), { kind: "directory" }))) return null;
  const withTrain = await loadDataset(root, { ...loadOptions, dropLeaked: false, splits: ["train", ...splits.filter((s) => s !== "train")] });
  return withTrain.leakage;
}

/** The run's output column of each class in `classes`, after checking the list is a usable restriction. */
function restrictionColumns(runId: string, runClasses: readonly string[], classes: readonly string[]): number[] {
  const example = `e.g. --classes ${runClasses.slice(0, 2).join(",")}`;
  if (classes.length < 2) {
    throw new ConfigError(
      `Option --classes names ${classes.length === 0 ? "no class" : `only "${classes[0]}"`}; ` +
        `a restricted evaluation needs at least 2 of the run's classes (${runClasses.join(", ")}), ${example}`,
    );
  }
  const columns = matchClassLabels(classes, runClasses, {
    source: `run ${runId}`,
    fix: `restrict the evaluation to some of the run's classes, ${example}`,
  });
  const repeated = columns.findIndex((column, i) => columns.indexOf(column) !== i);
  if (repeated >= 0) {
    const first = classes[columns.indexOf(columns[repeated])];
    const same = first === classes[repeated] ? `"${first}" twice` : `"${first}" and "${classes[repeated]}", both the run's class "${runClasses[columns[repeated]]}"`;
    throw new ConfigError(`Option --classes names ${same}; list each class once`);
  }
  return columns;
}
