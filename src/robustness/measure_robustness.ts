/**
 * The measuring core of the suite: a model's accuracy on clean images and
 * under each perturbation at severities 1-5. No files: `runRobustness` wraps
 * it for run folders, the bench times it.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { makeRng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import { argMax } from "../eval/arg_max.ts";
import { classificationMetrics } from "../eval/classification_metrics.ts";
import { wilsonInterval } from "../eval/confidence_interval.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { evaluateLoss } from "../train/evaluate_loss.ts";
import { type Perturbation, SEVERITIES } from "./perturbation.ts";
import { perturbImageSet } from "./perturbation_suite.ts";
import type { RobustnessResult, RobustnessScore } from "./robustness_report.ts";

/** What {@linkcode measureRobustness} needs besides the model and images. */
export interface MeasureOptions {
  /** Class names in label order. */
  classes: readonly string[];
  /** The run's input preprocessing. */
  preprocessing: Preprocessing;
  /** The run's evaluation blur (`dataset.evalBlurSigma`). @default 0 */
  blurSigma?: number;
  perturbations: readonly Perturbation[];
  /** Seed of the perturbations' draws. */
  seed: number;
  /** Images per prediction batch. @default 256 */
  batchSize?: number;
  /** Called after each perturbation with its accuracies at severities 1-5 and the seconds spent so far. @default none */
  onPerturbation?: (perturbation: Perturbation, accuracies: number[], spent: { perturbSeconds: number; predictSeconds: number }) => void;
  /** Milliseconds clock. @default performance.now */
  now?: () => number;
}

/** What {@linkcode measureRobustness} returns. */
export interface RobustnessMeasurement {
  clean: RobustnessScore;
  results: RobustnessResult[];
  /** Seconds spent perturbing images (JavaScript, one thread). */
  perturbSeconds: number;
  /** Seconds spent predicting (the active backend). */
  predictSeconds: number;
}

/**
 * Scores the model on `set` as it is and under every perturbation and severity.
 *
 * @param model A model whose output is class probabilities.
 * @param set The clean images.
 * @param options See {@linkcode MeasureOptions}.
 * @returns Clean score, one result per perturbation and severity, and where the time went.
 * @example
 * ```ts
 * const m = await measureRobustness(model, validation, { classes, preprocessing: "scale_0_1", perturbations: PERTURBATIONS, seed: 42 });
 * console.log(m.clean.accuracy, m.results.length);
 * ```
 */
export async function measureRobustness(model: tf.LayersModel, set: ImageSet, options: MeasureOptions): Promise<RobustnessMeasurement> {
  const now = options.now ?? (() => performance.now());
  let perturbSeconds = 0, predictSeconds = 0;
  const score = async (images: ImageSet): Promise<RobustnessScore> => {
    const started = now();
    const source = imageBatchSource(images, {
      numClasses: options.classes.length,
      preprocessing: options.preprocessing,
      blurSigma: options.blurSigma ?? 0,
    });
    const { probabilities } = await evaluateLoss(model, source, { batchSize: options.batchSize ?? 256, rng: makeRng(options.seed) });
    predictSeconds += (now() - started) / 1000;
    const predicted = probabilities.map(argMax);
    const metrics = classificationMetrics(images.labels, predicted, options.classes);
    const correct = predicted.reduce((n, p, i) => n + (p === images.labels[i] ? 1 : 0), 0);
    return { accuracy: metrics.accuracy, accuracyInterval: wilsonInterval(correct, images.count), macroF1: metrics.macroF1 };
  };
  const clean = await score(set);
  const results: RobustnessResult[] = [];
  for (const perturbation of options.perturbations) {
    const accuracies: number[] = [];
    for (const severity of SEVERITIES) {
      const started = now();
      const perturbed = perturbImageSet(set, { perturbation, severity, seed: options.seed });
      perturbSeconds += (now() - started) / 1000;
      const result = await score(perturbed);
      results.push({ perturbation: perturbation.name, family: perturbation.family, severity, ...result });
      accuracies.push(result.accuracy);
    }
    options.onPerturbation?.(perturbation, accuracies, { perturbSeconds, predictSeconds });
  }
  return { clean, results, perturbSeconds, predictSeconds };
}
