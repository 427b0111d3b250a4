/**
 * A trained run's model as a face classifier: gray face crops in, one
 * probability per class out, preprocessed exactly as the run's training data
 * (the dataset decoder's equalisation and channel replication, then the
 * run's `preprocessing` through the same `toBatchTensor`).
 *
 * The model is loaded with the experiment's own loader (`loadModel`), so any
 * single-model run works: CNNs and transfer models alike.
 *
 * @module
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { equalizeHistogram } from "../data/decode_image.ts";
import { makeImageSet } from "../data/image_set.ts";
import { type Preprocessing, toBatchTensor } from "../data/to_tensor.ts";
import { loadModel } from "../experiment/model_files.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { openRun, readRunJson, runPath } from "../experiment/run_store.ts";

/** A loaded classifier and how its inputs are made. */
export interface EmotionClassifier {
  /** The run it came from. */
  runId: string;
  /** Class names in output order. */
  classes: string[];
  /** Input side in pixels. */
  size: number;
  /** Input channels (1 or 3; gray is replicated for 3). */
  channels: 1 | 3;
  /** How pixels become inputs. */
  preprocessing: Preprocessing;
  /** Whether crops are histogram-equalised first (the run's `dataset.equalize`). */
  equalize: boolean;
  /** The model; release it with `classifier.model.dispose()`. */
  model: tf.LayersModel;
}

/**
 * Opens a run and loads its model for classifying face crops.
 *
 * @param resultsRoot Results folder holding `runs/`.
 * @param runId The run id (see `deno task fer list`).
 * @returns The classifier.
 * @throws {ConfigError} When the run does not exist, is an ensemble, or has no saved model yet.
 * @example
 * ```ts
 * const classifier = await loadEmotionClassifier("results", "20261202-035623-capstone_cnn-8c8ac1");
 * console.assert(classifier.classes.length === 4);
 * ```
 */
export async function loadEmotionClassifier(resultsRoot: string, runId: string): Promise<EmotionClassifier> {
  const run = await openRun(resultsRoot, runId);
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config || config.kind === "ensemble" || !config.dataset) {
    throw new ConfigError(
      `Run ${runId} is ${config?.kind === "ensemble" ? "an ensemble" : "not a single-model run"}; pass a single-model run id (deno task fer list shows them)`,
    );
  }
  const modelDir = runPath(run, "model");
  try {
    await access(join(modelDir, "model.json"));
  } catch {
    throw new ConfigError(
      `Run ${runId} has no saved model (${join(modelDir, "model.json")} is missing): it is still before its first epoch ` +
        "or failed; pick a finished run from deno task fer list",
    );
  }
  const model = await loadModel(modelDir);
  return {
    runId,
    classes: [...config.dataset.classes],
    size: config.dataset.size,
    channels: config.dataset.channels as 1 | 3,
    preprocessing: config.dataset.preprocessing,
    equalize: config.dataset.equalize,
    model,
  };
}

/**
 * Class probabilities for gray face crops of the classifier's size.
 *
 * @param classifier From {@linkcode loadEmotionClassifier}.
 * @param crops `size * size` gray pixels each (as {@linkcode cropFaces} returns them).
 * @returns One probability row per crop, in the classifier's class order.
 * @throws {ConfigError} When a crop has the wrong pixel count.
 * @example
 * ```ts
 * const [probabilities] = await classifyFaces(classifier, await cropFaces(frame, faces, { size: classifier.size }));
 * console.assert(probabilities.length === classifier.classes.length);
 * ```
 */
export async function classifyFaces(classifier: EmotionClassifier, crops: readonly Uint8Array[]): Promise<number[][]> {
  if (crops.length === 0) return [];
  const { size, channels } = classifier;
  const length = size * size;
  const pixels = new Uint8Array(crops.length * length * channels);
  crops.forEach((crop, i) => {
    if (crop.length !== length) {
      throw new ConfigError(`Face crop ${i} has ${crop.length} pixels; the model takes ${size}x${size} gray crops (${length}); crop with size ${size}`);
    }
    const gray = classifier.equalize ? equalizeHistogram(crop) : crop;
    for (let p = 0; p < length; p++) {
      for (let c = 0; c < channels; c++) pixels[(i * length + p) * channels + c] = gray[p];
    }
  });
  const set = makeImageSet(
    { pixels, labels: new Uint8Array(crops.length), paths: crops.map((_, i) => `face-${i}`) },
    { height: size, width: size, channels },
  );
  const input = toBatchTensor(set, crops.map((_, i) => i), classifier.preprocessing);
  const output = classifier.model.predict(input) as tf.Tensor2D;
  const values = await output.array();
  tf.dispose([input, output]);
  return values;
}
