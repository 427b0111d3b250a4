/**
 * The robustness suite's first implementation, kept only as the reference the
 * bench and the equivalence test measure the fast path against: every
 * perturbed copy of the split predicted through `evaluateLoss` in batches of
 * 256 (the loss computed too), no image reused, per-image buffers allocated.
 * Not used by `fer robustness`.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { makeRng } from "../src/core/seed.ts";
import type { ImageSet } from "../src/data/image_set.ts";
import type { Preprocessing } from "../src/data/to_tensor.ts";
import { argMax } from "../src/eval/arg_max.ts";
import { classificationMetrics } from "../src/eval/classification_metrics.ts";
import { wilsonInterval } from "../src/eval/confidence_interval.ts";
import { imageBatchSource } from "../src/train/image_batch_source.ts";
import { evaluateLoss } from "../src/train/evaluate_loss.ts";
import { type Perturbation, SEVERITIES } from "../src/robustness/perturbation.ts";
import { perturbImageSet } from "../src/robustness/perturbation_suite.ts";
import type { RobustnessResult, RobustnessScore } from "../src/robustness/robustness_report.ts";

/** What the reference path returns: scores, each image's predicted class, and where the time went. */
export interface ReferenceMeasurement {
  clean: RobustnessScore;
  results: RobustnessResult[];
  /** Predicted class per image: the clean split's, then one array per result, in result order. */
  predicted: { clean: Uint8Array; results: Uint8Array[] };
  perturbSeconds: number;
  predictSeconds: number;
}

/**
 * Scores `model` on `set` and under each perturbation at severities 1-5, the way
 * `measureRobustness` did before it deduplicated and batched (old path).
 *
 * @param model A model whose output is class probabilities.
 * @param set The clean images.
 * @param options Classes, preprocessing, evaluation blur, perturbations, seed; `skipClean` leaves the clean split out (its score is then NaN).
 * @returns Scores, per-image predictions and seconds spent.
 * @example
 * ```ts
 * const old = await measureRobustnessReference(model, validation, { classes, preprocessing: "scale_0_1", perturbations: PERTURBATIONS, seed: 42 });
 * ```
 */
export async function measureRobustnessReference(
  model: tf.LayersModel,
  set: ImageSet,
  options: {
    classes: readonly string[];
    preprocessing: Preprocessing;
    blurSigma?: number;
    perturbations: readonly Perturbation[];
    seed: number;
    skipClean?: boolean;
  },
): Promise<ReferenceMeasurement> {
  let perturbSeconds = 0, predictSeconds = 0;
  const score = async (images: ImageSet): Promise<RobustnessScore & { predicted: Uint8Array }> => {
    const started = performance.now();
    const source = imageBatchSource(images, {
      numClasses: options.classes.length,
      preprocessing: options.preprocessing,
      blurSigma: options.blurSigma ?? 0,
    });
    const { probabilities } = await evaluateLoss(model, source, { batchSize: 256, rng: makeRng(options.seed) });
    predictSeconds += (performance.now() - started) / 1000;
    const predicted = probabilities.map(argMax);
    const metrics = classificationMetrics(images.labels, predicted, options.classes);
    const correct = predicted.reduce((n, p, i) => n + (p === images.labels[i] ? 1 : 0), 0);
    return {
      accuracy: metrics.accuracy,
      accuracyInterval: wilsonInterval(correct, images.count),
      macroF1: metrics.macroF1,
      predicted: Uint8Array.from(predicted),
    };
  };
  const nothing = { accuracy: NaN, accuracyInterval: { value: NaN, low: NaN, high: NaN, level: 0.95, method: "wilson" as const }, macroF1: NaN, predicted: new Uint8Array(0) };
  const { predicted: cleanPredicted, ...clean } = options.skipClean ? nothing : await score(set);
  const results: RobustnessResult[] = [];
  const predicted: Uint8Array[] = [];
  for (const perturbation of options.perturbations) {
    for (const severity of SEVERITIES) {
      const started = performance.now();
      const perturbed = perturbImageSet(set, { perturbation, severity, seed: options.seed });
      perturbSeconds += (performance.now() - started) / 1000;
      const { predicted: classes, ...result } = await score(perturbed);
      results.push({ perturbation: perturbation.name, family: perturbation.family, severity, ...result });
      predicted.push(classes);
    }
  }
  return { clean, results, predicted: { clean: cleanPredicted, results: predicted }, perturbSeconds, predictSeconds };
}
