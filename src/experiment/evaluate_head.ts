/**
 * Evaluates a head on cached backbone features and writes metrics.json and
 * predictions.csv, the feature-space twin of evaluateRun (same metrics, same
 * rows), so a frozen run never runs its backbone over the images again.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Leakage } from "../data/find_leaked_images.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { RunMetrics } from "./run_metrics.ts";
import type { RunHandle } from "./run_store.ts";
import { writeRunEvaluation } from "./write_run_evaluation.ts";
import type { StopReason } from "../train/fit.ts";
import type { Rng } from "../core/seed.ts";
import type { FeatureMatrix } from "../transfer/feature_cache.ts";
import { featureBatchSource } from "../transfer/feature_batch_source.ts";
import { predictProbabilities } from "../predict/predict_probabilities.ts";

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
 * @param facts The splits, class names, the run, the generator for the bootstrap, the training facts metrics.json records and what the run adds to them.
 * @returns The metrics written.
 * @example
 * ```ts
 * const metrics = await evaluateHead(head, { splits: { validation }, classes, synthetic: false, run, rng, epochsTrained: 20, keptEpoch: 14, stopReason: "completed" });
 * ```
 */
export async function evaluateHead<M extends RunMetrics = RunMetrics>(
  head: tf.LayersModel,
  facts: {
    splits: { validation: FeatureSplit; test?: FeatureSplit };
    classes: readonly string[];
    synthetic: boolean;
    /** Which evaluated images leak from train (the dataset's), for the leak-free figures. */
    leakage: Leakage | null;
    run: RunHandle;
    rng: Rng;
    epochsTrained: number;
    keptEpoch: number;
    stopReason: StopReason;
    /** What the transfer run adds to metrics.json (see writeRunEvaluation). @default none */
    complete?: (metrics: RunMetrics) => M;
  },
): Promise<M> {
  // Not through the score cache, which keeps a model's scores under its saved folder's digest: the saved model
  // reads images through the backbone, and its scores need not equal the head's on the cached features bit for bit.
  const split = ({ set, matrix }: FeatureSplit) => ({
    set,
    probabilities: () =>
      predictProbabilities(head, featureBatchSource(matrix, set.labels, { numClasses: facts.classes.length }), { batchSize: 512, rng: facts.rng }),
  });
  const { splits: { validation, test }, ...rest } = facts;
  return await writeRunEvaluation({ validation: split(validation), ...(test ? { test: split(test) } : {}) }, rest);
}
