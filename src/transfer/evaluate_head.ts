/**
 * Evaluates a head on cached backbone features and writes metrics.json and
 * predictions.csv, the feature-space twin of evaluateRun (same metrics, same
 * rows), so a frozen run never runs its backbone over the images again.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/image_set.ts";
import { argMax } from "../eval/arg_max.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { RunMetrics } from "../experiment/evaluate_run.ts";
import { type PredictionRow, type RunHandle, writePredictions, writeRunJson } from "../experiment/run_store.ts";
import type { StopReason } from "../train/fit.ts";
import { evaluateLoss } from "../train/evaluate_loss.ts";
import type { Rng } from "../train/seed.ts";
import type { FeatureMatrix } from "./feature_cache.ts";
import { featureBatchSource } from "./feature_batch_source.ts";

/** A split's images (for paths and labels) and their feature rows. */
export interface FeatureSplit {
  set: ImageSet;
  matrix: FeatureMatrix;
}

/**
 * Runs the head over each split's features, computes the metrics with
 * intervals, and writes metrics.json and predictions.csv.
 *
 * @param head Maps `[n, 1, 1, features]` to class probabilities.
 * @param facts The splits, class names, the run, the generator for the bootstrap, and the training facts metrics.json records.
 * @returns The metrics written.
 * @example
 * ```ts
 * const metrics = await evaluateHead(head, { splits: { validation }, classes, synthetic: false, run, rng, epochsTrained: 20, keptEpoch: 14, stopReason: "completed" });
 * ```
 */
export async function evaluateHead(
  head: tf.LayersModel,
  facts: {
    splits: { validation: FeatureSplit; test?: FeatureSplit };
    classes: readonly string[];
    synthetic: boolean;
    run: RunHandle;
    rng: Rng;
    epochsTrained: number;
    keptEpoch: number;
    stopReason: StopReason;
  },
): Promise<RunMetrics> {
  const { classes, rng } = facts;
  const rows: (PredictionRow & { split: string })[] = [];
  const evaluateSplit = async (name: string, { set, matrix }: FeatureSplit): Promise<SplitMetrics> => {
    const source = featureBatchSource(matrix, set.labels, { numClasses: classes.length });
    const { probabilities } = await evaluateLoss(head, source, { batchSize: 512, rng });
    probabilities.forEach((row, i) =>
      rows.push({ path: set.paths[i], split: name, trueLabel: set.labels[i], predictedLabel: argMax(row), probabilities: row })
    );
    return evaluatePredictions(probabilities, set.labels, { labels: classes, rng });
  };
  const metrics: RunMetrics = {
    classes: [...classes],
    synthetic: facts.synthetic,
    stopReason: facts.stopReason,
    epochsTrained: facts.epochsTrained,
    keptEpoch: facts.keptEpoch,
    validation: await evaluateSplit("validation", facts.splits.validation),
  };
  if (facts.splits.test && facts.splits.test.set.count > 0) metrics.test = await evaluateSplit("test", facts.splits.test);
  await writeRunJson(facts.run, "metrics", metrics);
  await writePredictions(facts.run, rows, classes);
  return metrics;
}
