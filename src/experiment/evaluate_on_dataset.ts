/**
 * Evaluates a saved run's model on any dataset in the folder layout, decoded
 * and preprocessed as in training (for cross-dataset checks).
 *
 * @module
 */
import { loadDataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import { ConfigError } from "../errors.ts";
import { evaluateLoss } from "../train/evaluate_loss.ts";
import { makeRng } from "../train/seed.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import { imageBatchSource } from "./image_batch_source.ts";
import { loadModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import { readRunJson, type RunHandle, runPath } from "./run_store.ts";

/** What {@linkcode evaluateOnDataset} returns. */
export interface DatasetEvaluation {
  runId: string;
  root: string;
  /** Gaussian blur applied to the inputs (0 = none). */
  blurSigma: number;
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
 * @param options Splits to evaluate (default: every split the dataset has), the decode cache, and
 *   `blurSigma` to override the run's `dataset.evalBlurSigma`.
 * @returns Metrics per split, with the dataset fingerprint.
 * @throws {ConfigError} When a requested split is not in the dataset.
 * @example
 * ```ts
 * const result = await evaluateOnDataset(run, "data/other", { splits: ["test"], cacheDir: null });
 * ```
 */
export async function evaluateOnDataset(
  run: RunHandle,
  root: string,
  options: { splits?: string[]; cacheDir: string | null; blurSigma?: number },
): Promise<DatasetEvaluation> {
  const config = await readRunJson<RunConfig>(run, "config");
  if (!config) throw new ConfigError(`Run ${run.id} has no config.json`);
  const dataset = await loadDataset(root, datasetLoadOptions(config, options.cacheDir));
  const available: Record<string, ImageSet | undefined> = dataset.splits;
  const names = options.splits ?? Object.keys(available).filter((name) => (available[name]?.count ?? 0) > 0);
  const model = await loadModel(runPath(run, "model"));
  const rng = makeRng(config.seed);
  const splits: Record<string, SplitMetrics> = {};
  try {
    for (const name of names) {
      const set = available[name];
      if (!set) {
        throw new ConfigError(`Split "${name}" is not in ${root}; it has: ${Object.keys(available).filter((k) => available[k]).join(", ")}`);
      }
      const source = imageBatchSource(set, {
        numClasses: config.dataset.classes.length,
        preprocessing: config.dataset.preprocessing,
        blurSigma: options.blurSigma ?? config.dataset.evalBlurSigma ?? 0,
      });
      const { probabilities } = await evaluateLoss(model, source, { batchSize: 128, rng });
      splits[name] = evaluatePredictions(probabilities, set.labels, { labels: config.dataset.classes, rng });
    }
  } finally {
    model.dispose();
  }
  return { runId: run.id, root: dataset.root, blurSigma: options.blurSigma ?? config.dataset.evalBlurSigma ?? 0, fingerprint: dataset.fingerprint, synthetic: dataset.synthetic, splits };
}
