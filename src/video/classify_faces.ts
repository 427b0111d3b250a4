/**
 * A face classifier: gray face crops in, one probability per class out,
 * preprocessed exactly as the run's training data (the dataset decoder's
 * equalisation and channel replication, then the run's `preprocessing`
 * through the same `toBatchTensor`). No I/O, so the live page bundles it.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import type { LiveConfig } from "./live_config.ts";
import { equalizeHistogram } from "../data/decode_image.ts";
import { makeImageSet } from "../data/image_set.ts";
import { toBatchTensor } from "../data/to_tensor.ts";

/**
 * A loaded classifier and how its inputs are made: the run's input settings
 * (shared with the live page's {@linkcode LiveConfig}) and the model.
 */
export interface EmotionClassifier extends Omit<LiveConfig, "inputSize" | "detectEvery" | "backend"> {
  /** The model; release it with `classifier.model.dispose()`. */
  model: tf.LayersModel;
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
