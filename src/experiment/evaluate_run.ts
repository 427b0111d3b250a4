/**
 * Evaluates a trained model on the run's validation and test splits and
 * writes metrics.json and predictions.csv.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import { argMax } from "../eval/arg_max.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { EpochLogs } from "../train/callback.ts";
import { evaluateLoss } from "../train/evaluate_loss.ts";
import type { StopReason } from "../train/fit.ts";
import type { Rng } from "../train/seed.ts";
import { imageBatchSource } from "./image_batch_source.ts";
import type { RunConfig } from "./run_config.ts";
import { type PredictionRow, type RunHandle, writePredictions, writeRunJson } from "./run_store.ts";

/** metrics.json of a run. */
export interface RunMetrics {
  classes: string[];
  synthetic: boolean;
  stopReason: StopReason;
  epochsTrained: number;
  /** 1-based epoch whose weights were kept (best on `training.keepBestOn`), or the last. */
  keptEpoch: number;
  validation: SplitMetrics;
  test?: SplitMetrics;
}

/**
 * Runs the model over validation and test (when present), computes the
 * metrics with intervals, and writes metrics.json and predictions.csv.
 *
 * @param model The trained model (best weights restored).
 * @param facts Splits, config, dataset, run, generator (for the bootstrap), history, kept epoch and stop reason.
 * @returns The metrics written.
 * @example
 * ```ts
 * const metrics = await evaluateRun(model, { splits, config, dataset, run, rng, history, keptEpoch: 3, stopReason: "completed" });
 * ```
 */
export async function evaluateRun(
  model: tf.LayersModel,
  facts: {
    splits: { validation: ImageSet; test?: ImageSet };
    config: RunConfig;
    dataset: Dataset;
    run: RunHandle;
    rng: Rng;
    history: EpochLogs[];
    /** 1-based epoch whose weights the model holds. */
    keptEpoch: number;
    stopReason: StopReason;
  },
): Promise<RunMetrics> {
  const { config, rng } = facts;
  const classes = config.dataset.classes;
  const rows: (PredictionRow & { split: string })[] = [];
  const evaluateSplit = async (name: string, set: ImageSet): Promise<SplitMetrics> => {
    const source = imageBatchSource(set, {
      numClasses: classes.length,
      preprocessing: config.dataset.preprocessing,
      blurSigma: config.dataset.evalBlurSigma,
    });
    const { probabilities } = await evaluateLoss(model, source, { batchSize: 128, rng });
    probabilities.forEach((row, i) =>
      rows.push({ path: set.paths[i], split: name, trueLabel: set.labels[i], predictedLabel: argMax(row), probabilities: row })
    );
    return evaluatePredictions(probabilities, set.labels, { labels: classes, rng });
  };
  const metrics: RunMetrics = {
    classes: [...classes],
    synthetic: facts.dataset.synthetic,
    stopReason: facts.stopReason,
    epochsTrained: facts.history.length,
    keptEpoch: facts.keptEpoch,
    validation: await evaluateSplit("validation", facts.splits.validation),
  };
  if (facts.splits.test && facts.splits.test.count > 0) metrics.test = await evaluateSplit("test", facts.splits.test);
  await writeRunJson(facts.run, "metrics", metrics);
  await writePredictions(facts.run, rows, classes);
  return metrics;
}

