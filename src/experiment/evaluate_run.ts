/**
 * Evaluates a trained model on the run's validation and test splits and
 * writes metrics.json and predictions.csv.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { EpochLogs } from "../train/callback.ts";
import type { StopReason } from "../train/fit.ts";
import type { Rng } from "../core/seed.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunMetrics } from "./run_metrics.ts";
import type { RunHandle } from "./run_store.ts";
import { writeRunEvaluation } from "./write_run_evaluation.ts";

/**
 * Runs the model over validation and test (when present), computes the
 * metrics with intervals, and writes metrics.json and predictions.csv.
 *
 * @param model The trained model (best weights restored).
 * @param facts Splits, config, dataset, run, generator (for the bootstrap), history, kept epoch, stop reason, and what the family adds to metrics.json.
 * @returns The metrics written.
 * @example
 * ```ts
 * const metrics = await evaluateRun(model, { splits, config, dataset, run, rng, history, keptEpoch: 3, stopReason: "completed" });
 * ```
 */
export async function evaluateRun<M extends RunMetrics = RunMetrics>(
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
    /** What the model family adds to metrics.json (see writeRunEvaluation). @default none */
    complete?: (metrics: RunMetrics) => M;
  },
): Promise<M> {
  const { config } = facts;
  const source = (set: ImageSet) =>
    imageBatchSource(set, {
      numClasses: config.dataset.classes.length,
      preprocessing: config.dataset.preprocessing,
      blurSigma: config.dataset.evalBlurSigma,
    });
  const { validation, test } = facts.splits;
  return await writeRunEvaluation(model, {
    validation: { set: validation, source: source(validation) },
    ...(test ? { test: { set: test, source: source(test) } } : {}),
  }, {
    classes: config.dataset.classes,
    synthetic: facts.dataset.synthetic,
    run: facts.run,
    rng: facts.rng,
    batchSize: 128,
    tta: config.tta,
    leakage: facts.dataset.leakage,
    epochsTrained: facts.history.length,
    keptEpoch: facts.keptEpoch,
    stopReason: facts.stopReason,
    complete: facts.complete,
  });
}

