/**
 * The measuring core of the suite: a model's accuracy on clean images and
 * under each perturbation at severities 1-5. No files: `runRobustness` wraps
 * it for run folders, the bench times it.
 *
 * Predicting is nearly all of the suite's time (perturbing 2,570 faces takes a
 * few seconds per perturbation), so the work saved is the model's: the clean
 * split is predicted once and reused (also across calls, via
 * `cleanProbabilities`), each distinct image is predicted once (duplicates in
 * the split, and perturbed images identical to a clean one or to another
 * severity's, reuse that prediction), and the distinct images of all five
 * severities go through the model together in full batches of 64, without
 * the loss. Perturbing stays in JavaScript: the perturbations compute in
 * float64 and round to 8-bit pixels, which float32 tensor ops would not
 * reproduce bit for bit, and it is under a tenth of the time.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { equalizeImages } from "../data/decode_image.ts";
import { imageLength, type ImageSet, makeImageSet } from "../data/image_set.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import { argMax } from "../eval/arg_max.ts";
import { classificationMetrics } from "../eval/classification_metrics.ts";
import { wilsonInterval } from "../eval/confidence_interval.ts";
import { makeRng } from "../core/seed.ts";
import { predictProbabilities } from "../predict/predict_probabilities.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { hashImage, makeImageIndex } from "./_image_index.ts";
import { type Perturbation, SEVERITIES } from "./perturbation.ts";
import { perturbImageSet } from "./perturbation_suite.ts";
import type { RobustnessResult, RobustnessScore } from "./robustness_report.ts";

/**
 * Images per prediction batch by default. On the 2-core machine with the
 * tensorflow backend, batches of 64 predicted the capstone CNN 1.36x as fast
 * as 256 (median of 8 interleaved rounds of 512 faces, machine loaded; 32:
 * 1.24x, 128: 1.18x), and 64 and 256 gave the same probabilities bit for bit
 * on the faces checked.
 */
export const ROBUSTNESS_BATCH_SIZE = 64;

/** What {@linkcode measureRobustness} needs besides the model and images. */
export interface MeasureOptions {
  /** Class names in label order. */
  classes: readonly string[];
  /** The run's input preprocessing. */
  preprocessing: Preprocessing;
  /** The run's evaluation blur (`dataset.evalBlurSigma`). @default 0 */
  blurSigma?: number;
  /**
   * The run's histogram equalisation (`dataset.equalize`): `set` then holds the
   * faces as decoded without it, and each image, clean or perturbed, is
   * equalised just before the model sees it, as a camera frame would be.
   * @default false
   */
  equalize?: boolean;
  perturbations: readonly Perturbation[];
  /** Seed of the perturbations' draws. */
  seed: number;
  /** Images per prediction batch. @default ROBUSTNESS_BATCH_SIZE (64) */
  batchSize?: number;
  /** The clean split's probabilities from an earlier measurement of the same model and images (its `cleanProbabilities`), so they are not predicted again. @default predicted here */
  cleanProbabilities?: Float32Array;
  /** Return each image's predicted class (for equivalence checks). @default false */
  keepPredictions?: boolean;
  /** Called after each perturbation with its accuracies at severities 1-5 and the seconds spent so far. @default none */
  onPerturbation?: (perturbation: Perturbation, accuracies: number[], spent: { perturbSeconds: number; predictSeconds: number }) => void;
  /** Milliseconds clock. @default performance.now */
  now?: () => number;
  /** Stops the measurement after the batch it is in (a Ctrl-C): the signal's reason is thrown, nothing is returned. */
  signal?: AbortSignal;
}

/** What {@linkcode measureRobustness} returns. */
export interface RobustnessMeasurement {
  clean: RobustnessScore;
  results: RobustnessResult[];
  /** The clean split's probabilities, `count * classes`, to pass back as `cleanProbabilities`. */
  cleanProbabilities: Float32Array;
  /**
   * Per image, in the set's order: `clean` 1 where the clean image was classified
   * right, else 0; `perPerturbation[k]` at how many of severities 1-5 (0-5) the
   * k-th perturbation's copies were. What paired comparisons of two runs resample.
   */
  correct: { clean: Uint8Array; perPerturbation: Uint8Array[] };
  /** Predicted class per image, clean and per result in result order; only with `keepPredictions`. */
  predicted?: { clean: Uint8Array; results: Uint8Array[] };
  /** Seconds spent perturbing images and finding repeated ones (JavaScript, one thread). */
  perturbSeconds: number;
  /** Seconds spent predicting (the active backend). */
  predictSeconds: number;
  /** Images scored: the clean split plus every perturbed copy. */
  images: number;
  /** Images the model actually ran on; the rest reused a prediction. */
  predictions: number;
}

/**
 * Scores the model on `set` as it is and under every perturbation and severity.
 *
 * @param model A model whose output is class probabilities.
 * @param set The clean images.
 * @param options See {@linkcode MeasureOptions}.
 * @returns Clean score, one result per perturbation and severity, and where the time went.
 * @throws {RangeError} When `cleanProbabilities` does not have one row per image.
 * @example
 * ```ts
 * const m = await measureRobustness(model, validation, { classes, preprocessing: "scale_0_1", perturbations: PERTURBATIONS, seed: 42 });
 * console.log(m.clean.accuracy, m.results.length, m.predictions);
 * ```
 */
export async function measureRobustness(model: tf.LayersModel, set: ImageSet, options: MeasureOptions): Promise<RobustnessMeasurement> {
  const now = options.now ?? (() => performance.now());
  const numClasses = options.classes.length;
  const length = imageLength(set);
  let perturbSeconds = 0, predictSeconds = 0, predictions = 0;
  const predict = async (pixels: Uint8Array, count: number): Promise<Float32Array> => {
    if (options.equalize) {
      const equalizing = now();
      pixels = equalizeImages(pixels, set);
      perturbSeconds += (now() - equalizing) / 1000;
    }
    const started = now();
    const images = makeImageSet({ pixels, labels: new Uint8Array(count), paths: new Array<string>(count).fill("") }, set);
    // The run's evaluation batches (preprocessing, evaluation blur); the generator is for augmentation, never drawn in inference.
    const source = imageBatchSource(images, { numClasses, preprocessing: options.preprocessing, blurSigma: options.blurSigma ?? 0 });
    const rows = await predictProbabilities(model, source, { batchSize: options.batchSize ?? ROBUSTNESS_BATCH_SIZE, rng: makeRng(0), signal: options.signal });
    const probabilities = new Float32Array(count * numClasses);
    rows.forEach((row, i) => probabilities.set(row, i * numClasses));
    predictSeconds += (now() - started) / 1000;
    predictions += count;
    return probabilities;
  };

  // The clean split: each distinct image predicted once.
  let started = now();
  const cleanHashes = new Uint32Array(set.count);
  const cleanIndex = makeImageIndex(length);
  const cleanFirst = new Int32Array(set.count);
  for (let i = 0; i < set.count; i++) {
    cleanHashes[i] = hashImage(set.pixels, i * length, length);
    const seen = cleanIndex.find(set.pixels, i * length, cleanHashes[i]);
    cleanFirst[i] = seen >= 0 ? seen : i;
    if (seen < 0) cleanIndex.add(set.pixels, i * length, cleanHashes[i], i);
  }
  perturbSeconds += (now() - started) / 1000;
  let cleanProbabilities = options.cleanProbabilities;
  if (cleanProbabilities && cleanProbabilities.length !== set.count * numClasses) {
    throw new RangeError(
      `cleanProbabilities has ${cleanProbabilities.length} values; expected ${set.count} images x ${numClasses} classes: pass the cleanProbabilities measured on this same set`,
    );
  }
  if (!cleanProbabilities) {
    const distinct = [...new Set(cleanFirst)];
    const pixels = new Uint8Array(distinct.length * length);
    distinct.forEach((image, k) => pixels.set(set.pixels.subarray(image * length, (image + 1) * length), k * length));
    const rows = await predict(pixels, distinct.length);
    cleanProbabilities = new Float32Array(set.count * numClasses);
    const rowOf = new Map(distinct.map((image, k) => [image, k]));
    for (let i = 0; i < set.count; i++) {
      const k = rowOf.get(cleanFirst[i])!;
      cleanProbabilities.set(rows.subarray(k * numClasses, (k + 1) * numClasses), i * numClasses);
    }
  }
  const cleanPredicted = classesOf(cleanProbabilities, set.count, numClasses);
  const clean = scoreOf(set.labels, cleanPredicted, options.classes);

  const results: RobustnessResult[] = [];
  const kept: Uint8Array[] = [];
  const cleanCorrect = Uint8Array.from(cleanPredicted, (c, i) => Number(c === set.labels[i]));
  const perPerturbationCorrect: Uint8Array[] = [];
  for (const perturbation of options.perturbations) {
    // Perturbing a split at five severities takes seconds before its first prediction batch checks the signal.
    options.signal?.throwIfAborted();
    started = now();
    // Rows 0..count-1 are the clean images; new distinct images are numbered after them.
    const index = makeImageIndex(length);
    for (let i = 0; i < set.count; i++) if (cleanFirst[i] === i) index.add(set.pixels, i * length, cleanHashes[i], i);
    const fresh = new Uint8Array(SEVERITIES.length * set.count * length);
    const rowOfImage = new Int32Array(SEVERITIES.length * set.count);
    let freshCount = 0;
    SEVERITIES.forEach((severity, s) => {
      const perturbed = perturbImageSet(set, { perturbation, severity, seed: options.seed }).pixels;
      for (let i = 0; i < set.count; i++) {
        const hash = hashImage(perturbed, i * length, length);
        let row = index.find(perturbed, i * length, hash);
        if (row < 0) {
          fresh.set(perturbed.subarray(i * length, (i + 1) * length), freshCount * length);
          row = set.count + freshCount++;
          index.add(fresh, (row - set.count) * length, hash, row);
        }
        rowOfImage[s * set.count + i] = row;
      }
    });
    perturbSeconds += (now() - started) / 1000;
    const freshProbabilities = await predict(fresh.subarray(0, freshCount * length), freshCount);
    const accuracies: number[] = [];
    const correctCount = new Uint8Array(set.count);
    SEVERITIES.forEach((severity, s) => {
      const predicted = new Uint8Array(set.count);
      for (let i = 0; i < set.count; i++) {
        const row = rowOfImage[s * set.count + i];
        predicted[i] = row < set.count ? cleanPredicted[row] : argMax(freshProbabilities.subarray((row - set.count) * numClasses, (row - set.count + 1) * numClasses));
        if (predicted[i] === set.labels[i]) correctCount[i]++;
      }
      const score = scoreOf(set.labels, predicted, options.classes);
      results.push({ perturbation: perturbation.name, family: perturbation.family, severity, ...score });
      accuracies.push(score.accuracy);
      if (options.keepPredictions) kept.push(predicted);
    });
    perPerturbationCorrect.push(correctCount);
    options.onPerturbation?.(perturbation, accuracies, { perturbSeconds, predictSeconds });
  }
  return {
    clean,
    results,
    cleanProbabilities,
    correct: { clean: cleanCorrect, perPerturbation: perPerturbationCorrect },
    ...(options.keepPredictions ? { predicted: { clean: cleanPredicted, results: kept } } : {}),
    perturbSeconds,
    predictSeconds,
    images: set.count * (1 + results.length),
    predictions,
  };
}

function classesOf(probabilities: Float32Array, count: number, numClasses: number): Uint8Array {
  const predicted = new Uint8Array(count);
  for (let i = 0; i < count; i++) predicted[i] = argMax(probabilities.subarray(i * numClasses, (i + 1) * numClasses));
  return predicted;
}

function scoreOf(labels: Uint8Array, predicted: Uint8Array, classes: readonly string[]): RobustnessScore {
  const metrics = classificationMetrics(labels, Array.from(predicted), classes);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return { accuracy: metrics.accuracy, accuracyInterval: wilsonInterval(correct, labels.length), macroF1: metrics.macroF1 };
}
