/**
 * The one place that turns a model's predictions on validation and test into
 * metrics.json and predictions.csv. Image models (evaluateRun, through the
 * score cache) and heads on cached features (the transfer runs' evaluateHead)
 * differ only in how they predict a split.
 *
 * @module
 */
import type { ImageSet } from "../data/image_set.ts";
import { type Leakage, leakedFlags } from "../data/find_leaked_images.ts";
import { argMax } from "../eval/arg_max.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import type { Rng } from "../core/seed.ts";
import type { RunMetrics } from "./run_metrics.ts";
import { type PredictionRow, type RunHandle, writePredictions, writeRunJson } from "./run_store.ts";

/** One split to evaluate: its images (paths and labels), and the model's probability rows for them, one per image, predicted when called. */
export interface EvaluationSplit {
  set: ImageSet;
  probabilities: () => Promise<Float32Array[]>;
}

/**
 * Runs the model over validation and test (when it has images), computes the
 * metrics with intervals, and writes metrics.json and predictions.csv. An
 * interrupted run is scored on validation only: it is not a final model, and
 * test is read once, by the run that completes (a resumed one included).
 *
 * @param splits Validation, and test when present (test is predicted only when it is scored).
 * @param facts Class names, the run, the bootstrap's generator, the TTA views the probabilities were averaged over, the training facts metrics.json records,
 *   and `complete`: what a model family adds to metrics.json (a transfer run's collapse check), so the file is written once.
 * @returns The metrics written.
 * @example
 * ```ts
 * const probabilities = () => predictProbabilities(model, source, { batchSize: 128, rng, tta: null });
 * const metrics = await writeRunEvaluation({ validation: { set, probabilities } }, {
 *   classes, synthetic: false, run, rng, leakage: null, epochsTrained: 3, keptEpoch: 2, stopReason: "completed",
 * });
 * ```
 */
export async function writeRunEvaluation<M extends RunMetrics = RunMetrics>(
  splits: { validation: EvaluationSplit; test?: EvaluationSplit },
  facts: Pick<RunMetrics, "synthetic" | "epochsTrained" | "keptEpoch" | "stopReason"> & {
    classes: readonly string[];
    run: RunHandle;
    rng: Rng;
    /** Views each image's probabilities were averaged over (recorded in metrics.json); null for the image alone. @default null */
    tta?: TtaConfig | null;
    /** Which evaluated images leak from train, for the leak-free figures; null when unknown. */
    leakage: Leakage | null;
    /** Adds fields to the metrics before they are written. @default none */
    complete?: (metrics: RunMetrics) => M;
  },
): Promise<M> {
  const { classes, rng } = facts;
  const rows: (PredictionRow & { split: string })[] = [];
  const evaluateSplit = async (name: string, split: EvaluationSplit): Promise<SplitMetrics> => {
    const { set } = split;
    const probabilities = await split.probabilities();
    probabilities.forEach((row, i) =>
      rows.push({ path: set.paths[i], split: name, trueLabel: set.labels[i], predictedLabel: argMax(row), probabilities: row })
    );
    return evaluatePredictions(probabilities, set.labels, { labels: classes, rng }, {
      leaked: leakedFlags(set.paths, facts.leakage),
    });
  };
  const metrics: RunMetrics = {
    classes: [...classes],
    synthetic: facts.synthetic,
    stopReason: facts.stopReason,
    epochsTrained: facts.epochsTrained,
    keptEpoch: facts.keptEpoch,
    tta: facts.tta ?? null,
    validation: await evaluateSplit("validation", splits.validation),
  };
  if (splits.test && splits.test.set.count > 0 && facts.stopReason !== "interrupted") metrics.test = await evaluateSplit("test", splits.test);
  const written = facts.complete ? facts.complete(metrics) : metrics as M;
  await writeRunJson(facts.run, "metrics", written);
  await writePredictions(facts.run, rows, classes);
  return written;
}
