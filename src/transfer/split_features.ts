/**
 * Backbone features of one split: read from the feature cache when there,
 * otherwise computed batch by batch and stored.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/image_set.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { makeBatches } from "../train/make_batches.ts";
import type { Rng } from "../core/seed.ts";
import { yieldToEventLoop } from "../core/yield_to_event_loop.ts";
import type { FeatureCache, FeatureMatrix } from "./feature_cache.ts";

/** Options of {@linkcode splitFeatures}. */
export interface SplitFeaturesOptions {
  /** Where matrices are kept; null computes every time. */
  cache: FeatureCache | null;
  /** The cache key (see featureKey): it must cover everything below and the model. */
  key: string;
  /** Class count of the dataset (the batch source checks labels against it). */
  numClasses: number;
  /** How pixels become model inputs, as in training. */
  preprocessing: Preprocessing;
  /** Gaussian blur of the inputs (validation and test; see dataset.evalBlurSigma). @default 0 */
  blurSigma?: number;
  /** Required by the batch source; nothing is drawn without augmentation. */
  rng: Rng;
  /** Images per forward pass. @default 64 */
  batchSize?: number;
  /** Called after each batch with (images done, images in the split). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs `featureModel` over every image of `set` in inference mode, or reads
 * the result from the cache.
 *
 * @param featureModel Maps `[n, h, w, c]` inputs to `[n, features]`.
 * @param set The split's images, in the order of the returned rows.
 * @param options See {@linkcode SplitFeaturesOptions}.
 * @returns One row per image, and whether it came from the cache.
 * @example
 * ```ts
 * const { matrix, cached } = await splitFeatures(extractor, dataset.splits.train, { cache, key, numClasses: 4, preprocessing: "scale_0_1", rng });
 * console.assert(matrix.rows === dataset.splits.train.count);
 * ```
 */
export async function splitFeatures(
  featureModel: tf.LayersModel,
  set: ImageSet,
  options: SplitFeaturesOptions,
): Promise<{ matrix: FeatureMatrix; cached: boolean }> {
  // A missing or invalid file (the cache says which) means computing the features again.
  const stored = options.cache ? await options.cache.read(options.key) : null;
  if (stored?.status === "hit" && stored.entry.rows === set.count) return { matrix: stored.entry, cached: true };
  const source = imageBatchSource(set, { numClasses: options.numClasses, preprocessing: options.preprocessing, blurSigma: options.blurSigma ?? 0 });
  const columns = featureModel.outputs[0].shape[1] as number;
  const values = new Float32Array(set.count * columns);
  for (const [start, end] of makeBatches(set.count, options.batchSize ?? 64)) {
    const { x, y } = source.batch(Array.from({ length: end - start }, (_, i) => start + i), { training: false, rng: options.rng });
    const output = tf.tidy(() => featureModel.apply(x, { training: false }) as tf.Tensor);
    values.set(await output.data() as Float32Array, start * columns);
    tf.dispose([x, y, output]);
    options.onProgress?.(end, set.count);
    await yieldToEventLoop();
  }
  const matrix = { values, rows: set.count, columns };
  await options.cache?.write(options.key, matrix);
  return { matrix, cached: false };
}
