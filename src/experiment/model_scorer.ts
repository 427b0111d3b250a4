/**
 * A saved model's probabilities over sets of images, through the score cache
 * (score_cache.ts): the one place where a run's model is scored for later use,
 * by an ensemble's members, `fer eval` and a distillation's teachers.
 *
 * The model's files are hashed once for all the sets it scores, and the model
 * is loaded at the first set that is not in the cache: one read wholly from it
 * loads nothing.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import { predictProbabilities } from "../predict/predict_probabilities.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import type { FeatureCache } from "../transfer/feature_cache.ts";
import { loadModel, modelDigest } from "./model_files.ts";
import { type ScorePurpose, scoresKeyOfDigest, scoresThroughCache } from "./score_cache.ts";

/** How a model is scored, and where its scores are kept. */
export interface ModelScorerOptions {
  /** Teachers' scores of training images, or a run's predictions of validation and test images. */
  purpose: ScorePurpose;
  /** The run's model/ folder. */
  modelDir: string;
  /** The model's outputs (its classes). */
  columns: number;
  preprocessing: Preprocessing;
  /** The evaluation blur; 0 or absent: none. */
  blurSigma?: number;
  /** The views the probabilities are averaged over; null for one. */
  tta: TtaConfig | null;
  rng: Rng;
  /** Images per forward pass (default 128). */
  batchSize?: number;
  /** Where the scores are kept; null scores every time. */
  cache: FeatureCache | null;
  /** The rest of the key: the dataset's fingerprint and the backend's `backendFacts`. */
  scoredWith: Record<string, unknown>;
  /** Stops a pass after the view or batch it is in (its reason is thrown). */
  signal?: AbortSignal;
  /** Where a damaged or unwritable cache entry is said. */
  log?: (line: string) => void;
}

/** What {@linkcode modelScorer} returns. */
export interface ModelScorer {
  /**
   * The model's probability rows for `images`, one per image with `columns` values: read from the cache when
   * they are there, else predicted and stored.
   *
   * @param images The images, decoded as the model reads them.
   * @param pass `name` for the cache's log lines; `progress`, called when a prediction starts (never on a
   *   hit, so a pass read from the cache shows no counter), returns what follows its batches.
   */
  scores(
    images: ImageSet,
    pass: { name: string; progress?: () => ((done: number, total: number) => void) | undefined },
  ): Promise<{ rows: Float32Array[]; cached: boolean }>;
  /** Frees the model, when one was loaded. */
  dispose(): void;
}

/**
 * A scorer of one saved model; call `dispose` when done (in a `finally`).
 *
 * @param options The model, how it reads images, and the cache.
 * @returns The scorer.
 * @example
 * ```ts
 * const scorer = modelScorer({ purpose: "predictions", modelDir, columns: 7, preprocessing, tta, rng: makeRng(42), cache, scoredWith });
 * try {
 *   const { rows } = await scorer.scores(dataset.splits.validation, { name: "Run r, validation" });
 * } finally {
 *   scorer.dispose();
 * }
 * ```
 */
export function modelScorer(options: ModelScorerOptions): ModelScorer {
  const { cache, columns, preprocessing, blurSigma, tta } = options;
  // Hashed at the first set, once: null (no cache, or a folder that cannot be read) caches nothing, and loading
  // the model then says what is wrong.
  let digest: Promise<string | null> | undefined;
  let model: tf.LayersModel | undefined;
  return {
    async scores(images, pass) {
      digest ??= cache ? modelDigest(options.modelDir).catch(() => null) : Promise.resolve(null);
      const known = await digest;
      const key = known === null
        ? null
        : scoresKeyOfDigest(options.purpose, known, { images, preprocessing, blurSigma, tta, scoredWith: options.scoredWith });
      return await scoresThroughCache(
        { cache, key, rows: images.count, columns, name: pass.name, log: options.log ?? (() => {}) },
        async () => {
          const onProgress = pass.progress?.();
          model ??= await loadModel(options.modelDir);
          const source = imageBatchSource(images, { numClasses: columns, preprocessing, blurSigma });
          return await predictProbabilities(model, source, {
            batchSize: options.batchSize ?? 128,
            rng: options.rng,
            tta,
            signal: options.signal,
            onProgress,
          });
        },
      );
    },
    dispose() {
      model?.dispose();
      model = undefined;
    },
  };
}
