/**
 * `fer eval --detect`: a run's model on a dataset of uncropped photos
 * (`<root>/<split>/<class>/<image>`): each photo's most confident face is
 * detected, cropped as the training faces are, and classified.
 *
 * A photo in which no face is found is classified whole (its centre square),
 * so every image counts in the metrics; how many needed that is reported.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import { discoverDataset } from "../data/discover_dataset.ts";
import { datasetFingerprint } from "../data/dataset_fingerprint.ts";
import { evaluatePredictions, type SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { DatasetEvaluation } from "../experiment/evaluate_on_dataset.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { classifyFaces, type EmotionClassifier } from "./classify_faces.ts";
import { cropFaces } from "./face_crop.ts";
import { PHOTO_INPUT_SIZE, readPhoto } from "./label_photo_faces.ts";
import { type DetectOptions, detectFaces } from "./tiny_face_detector.ts";

/** Metrics of one split, with how the faces were found. */
export interface DetectedSplit {
  metrics: SplitMetrics;
  /** Photos in the split. */
  images: number;
  /** Photos where the detector found a face. */
  facesFound: number;
  /** Photos classified whole because no face was found. */
  wholeImage: number;
}

/** What {@linkcode evaluateDetected} returns. */
export interface DetectedEvaluation {
  runId: string;
  root: string;
  /** The dataset's files (every split of the run's classes) and the classifier's decode settings. */
  fingerprint: string;
  inputSize: number;
  splits: Record<string, DetectedSplit>;
}

/**
 * Detects, crops and classifies every photo of the chosen splits and scores the model.
 *
 * @param classifier The run's classifier (its classes name the class folders).
 * @param root Dataset root.
 * @param options Detector weights, splits (default: every split present), detector options, a seed for the
 *   bootstrap; `progress` gives each split's callback, told after every photo; `signal` stops the work after the
 *   photo it is in (its reason is thrown, nothing is returned).
 * @returns Metrics per split.
 * @throws {ConfigError} When a requested split is not in the dataset.
 * @throws {DatasetError} When the root has no images of the run's classes.
 * @example
 * ```ts
 * const result = await evaluateDetected(classifier, "data/photos", { detector: detector.weights });
 * console.log(result.splits.test.metrics.accuracy);
 * ```
 */
export async function evaluateDetected(
  classifier: EmotionClassifier,
  root: string,
  options: {
    detector: tf.NamedTensorMap;
    splits?: string[];
    detect?: DetectOptions;
    seed?: number;
    progress?: (split: string) => (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<DetectedEvaluation> {
  const listing = await discoverDataset(root, { classes: classifier.classes });
  const present: Record<string, { relativePath: string; label: number }[] | undefined> = listing.splits;
  const names = options.splits ?? Object.keys(present).filter((name) => (present[name]?.length ?? 0) > 0);
  const inputSize = options.detect?.inputSize ?? PHOTO_INPUT_SIZE;
  const rng = makeRng(options.seed ?? 0);
  const splits: Record<string, DetectedSplit> = {};
  for (const name of names) {
    const entries = present[name];
    if (!entries) throw new ConfigError(`Split "${name}" is not in ${root}; it has: ${Object.keys(present).join(", ")}`);
    const probabilities: number[][] = [];
    let facesFound = 0;
    const onProgress = options.progress?.(name);
    for (const [i, entry] of entries.entries()) {
      options.signal?.throwIfAborted();
      const photo = await readPhoto(join(root, entry.relativePath));
      const image = tf.tidy(() => tf.cast(tf.tensor3d(photo.rgb, [photo.height, photo.width, 3], "int32"), "float32"));
      try {
        const [face] = await detectFaces(options.detector, image, { ...options.detect, inputSize });
        if (face) facesFound++;
        const crops = face
          ? await cropFaces(image, [face], { size: classifier.size })
          : [await centreSquare(image, Math.min(photo.width, photo.height), classifier.size)];
        probabilities.push((await classifyFaces(classifier, crops))[0]);
      } finally {
        image.dispose();
      }
      onProgress?.(i + 1, entries.length);
    }
    splits[name] = {
      metrics: evaluatePredictions(probabilities, entries.map((entry) => entry.label), { labels: classifier.classes, rng }),
      images: entries.length,
      facesFound,
      wholeImage: entries.length - facesFound,
    };
  }
  // Over every split's files, so evaluating test and then validation finds the same dataset in evaluations.json.
  const files = [];
  for (const entries of Object.values(present)) {
    for (const entry of entries ?? []) files.push({ relativePath: entry.relativePath, bytes: await readFile(join(root, entry.relativePath)).catch(() => null) });
  }
  const fingerprint = datasetFingerprint(files, {
    classes: classifier.classes,
    decode: { size: classifier.size, channels: classifier.channels, equalize: classifier.equalize },
  });
  return { runId: classifier.runId, root, fingerprint, inputSize, splits };
}

/**
 * The evaluation as `fer eval` keeps it in evaluations.json (saveDatasetEvaluation),
 * marked with the detector's input size so `fer compare` tells it from an
 * evaluation of cropped faces.
 *
 * @param evaluation From {@linkcode evaluateDetected}.
 * @returns The entry to save.
 * @example
 * ```ts
 * await saveDatasetEvaluation(run, detectedAsDatasetEvaluation(await evaluateDetected(classifier, root, { detector })));
 * ```
 */
export function detectedAsDatasetEvaluation(evaluation: DetectedEvaluation): DatasetEvaluation {
  const splits = Object.fromEntries(Object.entries(evaluation.splits).map(([name, split]) => [name, split.metrics]));
  return {
    runId: evaluation.runId,
    root: evaluation.root,
    blurSigma: 0,
    tta: null,
    detectorInputSize: evaluation.inputSize,
    fingerprint: evaluation.fingerprint,
    synthetic: false,
    splits,
  };
}

async function centreSquare(image: tf.Tensor3D, side: number, size: number): Promise<Uint8Array> {
  const [height, width] = image.shape;
  const gray = tf.tidy(() => {
    const top = Math.floor((height - side) / 2);
    const left = Math.floor((width - side) / 2);
    const square = tf.slice(image, [top, left, 0], [side, side, 3]).expandDims(0) as tf.Tensor4D;
    const resized = tf.image.resizeBilinear(square, [size, size]);
    return tf.clipByValue(tf.round(tf.sum(tf.mul(resized, tf.tensor1d([0.299, 0.587, 0.114])), -1)), 0, 255);
  });
  const values = await gray.data();
  gray.dispose();
  return Uint8Array.from(values);
}
