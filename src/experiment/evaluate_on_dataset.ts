/**
 * Evaluates a saved run's model on any dataset in the folder layout, decoded
 * and preprocessed as in training (for cross-dataset checks), optionally with
 * test-time augmentation.
 *
 * @module
 */
import { loadDataset } from "../data/load_dataset.ts";
import { SPLITS, type SplitName } from "../data/classes.ts";
import type { ImageSet } from "../data/image_set.ts";
import { leakedFlags } from "../data/find_leaked_images.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import { ConfigError } from "../core/errors.ts";
import { predictProbabilities } from "../predict/predict_probabilities.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { makeRng } from "../core/seed.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { loadModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import { readRunJson, type RunHandle, runPath } from "./run_store.ts";

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
  fingerprint: string;
  synthetic: boolean;
  /** Metrics per evaluated split. */
  splits: Record<string, SplitMetrics>;
}

/**
 * Loads the run's model and config, decodes `root` with the run's classes,
 * size, channels and equalisation (other sizes and colour images are
 * converted), and evaluates the chosen splits.
 *
 * @param run A finished run.
 * @param root Dataset root.
 * @param options Splits to evaluate (default: every split the dataset has), the decode cache,
 *   `blurSigma` to override the run's `dataset.evalBlurSigma`, and `tta` to average the model's
 *   probabilities over flipped, shifted or cropped views (default: none).
 * @returns Metrics per split, with the dataset fingerprint.
 * @throws {ConfigError} When a requested split is not in the dataset, or the run is an ensemble.
 * @example
 * ```ts
 * const result = await evaluateOnDataset(run, "data/other", { splits: ["test"], cacheDir: null, tta: ttaFromList("flip") });
 * ```
 */
export async function evaluateOnDataset(
  run: RunHandle,
  root: string,
  options: { splits?: string[]; cacheDir: string | null; blurSigma?: number; tta?: TtaConfig | null },
): Promise<DatasetEvaluation> {
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  if (config.kind === "ensemble") {
    throw new ConfigError(
      `Run ${run.id} is an ensemble; eval takes a single-model run: evaluate its members (listed in its manifest.json) one by one`,
    );
  }
  const unknown = (options.splits ?? []).find((name) => !(SPLITS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new ConfigError(`Split "${unknown}" is not in ${root}: a dataset's splits are ${SPLITS.join(", ")}`);
  // Only the splits asked for are read, so a root without train/ can be evaluated on its test split.
  const known = (options.splits ?? [...SPLITS]) as SplitName[];
  const dataset = await loadDataset(root, { ...datasetLoadOptions(config, options.cacheDir), splits: known });
  const available: Record<string, ImageSet | undefined> = dataset.splits;
  const names = options.splits ?? Object.keys(available).filter((name) => (available[name]?.count ?? 0) > 0);
  const model = await loadModel(runPath(run, "model"));
  const rng = makeRng(config.seed);
  const splits: Record<string, SplitMetrics> = {};
  try {
    for (const name of names) {
      const set = available[name];
      if (!set || set.count === 0) {
        throw new ConfigError(`Split "${name}" is not in ${root}; it has: ${Object.keys(available).filter((k) => available[k]?.count).join(", ") || "no images of the run's classes in the splits asked for"}`);
      }
      const source = imageBatchSource(set, {
        numClasses: config.dataset.classes.length,
        preprocessing: config.dataset.preprocessing,
        blurSigma: options.blurSigma ?? config.dataset.evalBlurSigma ?? 0,
      });
      const probabilities = await predictProbabilities(model, source, { batchSize: 128, rng, tta: options.tta ?? null });
      splits[name] = evaluatePredictions(probabilities, set.labels, { labels: config.dataset.classes, rng }, {
        leaked: leakedFlags(set.paths, dataset.leakage),
      });
    }
  } finally {
    model.dispose();
  }
  return {
    runId: run.id,
    root: dataset.root,
    blurSigma: options.blurSigma ?? config.dataset.evalBlurSigma ?? 0,
    tta: options.tta ?? null,
    fingerprint: dataset.fingerprint,
    synthetic: dataset.synthetic,
    splits,
  };
}
