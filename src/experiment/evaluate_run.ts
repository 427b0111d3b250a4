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
import { modelScorer } from "./model_scorer.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunMetrics } from "./run_metrics.ts";
import { type RunHandle, runPath } from "./run_store.ts";
import { scoreCache } from "./score_cache.ts";
import { writeRunEvaluation } from "./write_run_evaluation.ts";

/**
 * Where a run keeps its own scores for the readers that score its model later on the same images over the same
 * views (an ensemble of it), so that they read them instead of scoring again: the decode cache folder whose
 * `predictions/` holds them (null: kept nowhere), the facts of their key besides the model, the images and the
 * views (the dataset's fingerprint and the backend's `backendFacts`, as those readers give them), and where a
 * cache entry that cannot be written is said.
 */
export interface RunScoring {
  cacheDir: string | null;
  scoredWith: Record<string, unknown>;
  log: (line: string) => void;
}

/**
 * Runs the model over validation and test (when present), computes the
 * metrics with intervals, and writes metrics.json and predictions.csv. The
 * model must hold the weights saved in the run's model/ folder: its scores go
 * into the score cache under that folder's digest (see `scoring`), and an
 * ensemble of the run then reads them there instead of scoring the model
 * again (1m30s for a VGG-style 7-class net over 12 views on two cores).
 *
 * @param model The trained model (best weights restored), as saved in the run's model/ folder.
 * @param facts Splits, config, dataset, run, generator (for the bootstrap), history, kept epoch, stop reason, where
 *   its scores are kept (`scoring`), and what the family adds to metrics.json.
 * @returns The metrics written.
 * @example
 * ```ts
 * const metrics = await evaluateRun(model, {
 *   splits, config, dataset, run, rng, history, keptEpoch: 3, stopReason: "completed",
 *   scoring: { cacheDir: ctx.cacheDir, scoredWith: { dataset: dataset.fingerprint, ...backendFacts(backend) }, log: ctx.log },
 * });
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
    scoring: RunScoring;
    /** What the model family adds to metrics.json (see writeRunEvaluation). @default none */
    complete?: (metrics: RunMetrics) => M;
  },
): Promise<M> {
  const { config, run, scoring } = facts;
  // The key is the one memberPredictions asks for: the saved folder's digest, the images in the order
  // predictions.csv lists them, the config's preprocessing, blur and views, the dataset and the backend.
  const scorer = modelScorer({
    purpose: "predictions",
    modelDir: runPath(run, "model"),
    loaded: model,
    columns: config.dataset.classes.length,
    preprocessing: config.dataset.preprocessing,
    blurSigma: config.dataset.evalBlurSigma,
    tta: config.tta,
    rng: facts.rng,
    cache: scoreCache(scoring.cacheDir, "predictions"),
    scoredWith: scoring.scoredWith,
    log: scoring.log,
  });
  const split = (set: ImageSet, name: string) => ({
    set,
    probabilities: async () => (await scorer.scores(set, { name: `Run ${run.id}, ${name}` })).rows,
  });
  const { validation, test } = facts.splits;
  try {
    return await writeRunEvaluation({ validation: split(validation, "validation"), ...(test ? { test: split(test, "test") } : {}) }, {
      classes: config.dataset.classes,
      synthetic: facts.dataset.synthetic,
      run,
      rng: facts.rng,
      tta: config.tta,
      leakage: facts.dataset.leakage,
      epochsTrained: facts.history.length,
      keptEpoch: facts.keptEpoch,
      stopReason: facts.stopReason,
      complete: facts.complete,
    });
  } finally {
    scorer.dispose();
  }
}
