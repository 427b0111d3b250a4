/**
 * A saved model's probabilities over sets of images, through the score cache
 * (score_cache.ts): the one place where a run's model is scored for later use,
 * by an ensemble's members, `fer eval` and a distillation's teachers, and where
 * a run scores its own model at its end (evaluate_run.ts), so that those
 * later readers find the run's validation and test scores in the cache.
 *
 * The model's files are hashed once for all the sets it scores, and the model
 * is loaded at the first set that is not in the cache: one read wholly from it
 * loads nothing. The same scorer prices a set without scoring it all
 * (`estimate`: nothing when cached, else timed on a sample), and
 * `estimatingScorer` stands in for it where a caller's whole scoring path is to
 * be priced (`fer run <ensemble> --estimate`).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import { selectImages } from "../data/limit_image_set.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import { predictProbabilities } from "../predict/predict_probabilities.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import type { FeatureCache } from "../transfer/feature_cache.ts";
import { loadModel, modelDigest } from "./model_files.ts";
import { cachedScores, type ScorePurpose, scoresKey, scoresThroughCache } from "./score_cache.ts";

/** How a model is scored, and where its scores are kept. */
export interface ModelScorerOptions {
  /** Teachers' scores of training images, or a run's predictions of validation and test images. */
  purpose: ScorePurpose;
  /** The run's model/ folder. */
  modelDir: string;
  /**
   * The model already in memory, when it holds exactly the weights saved in `modelDir`: a run scoring the model it
   * has just saved, whose scores are then kept under that folder's digest for its later readers. Used instead of
   * loading the folder, and not disposed by the scorer (its owner disposes it).
   */
  loaded?: tf.LayersModel;
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

/** What scoring a set of images would cost here: nothing when its scores are in the cache, else timed on a sample. */
export interface ScoringEstimate {
  images: number;
  /** Test-time views per image. */
  views: number;
  how: "cached" | "timed";
  seconds: number;
}

/** How {@linkcode ModelScorer.estimate} times: images to time (default 256) after an untimed batch, and the clock. */
export interface ScoringTiming {
  sample?: number;
  clock?: () => number;
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
  /**
   * What `scores` would cost for `images`, without scoring them all: nothing when they are in the cache, else the
   * model timed over its views on the first `timing.sample` images, after one untimed batch, scaled to all.
   */
  estimate(images: ImageSet, timing?: ScoringTiming): Promise<ScoringEstimate>;
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
  const keyOf = async (images: ImageSet): Promise<string | null> => {
    digest ??= cache ? modelDigest(options.modelDir).catch(() => null) : Promise.resolve(null);
    const known = await digest;
    return known === null ? null : scoresKey(options.purpose, known, { images, preprocessing, blurSigma, tta, scoredWith: options.scoredWith });
  };
  const predict = async (images: ImageSet, onProgress?: (done: number, total: number) => void) => {
    model ??= options.loaded ?? await loadModel(options.modelDir);
    const source = imageBatchSource(images, { numClasses: columns, preprocessing, blurSigma });
    return await predictProbabilities(model, source, { batchSize: options.batchSize ?? 128, rng: options.rng, tta, signal: options.signal, onProgress });
  };
  return {
    async scores(images, pass) {
      const key = await keyOf(images);
      return await scoresThroughCache(
        { cache, key, rows: images.count, columns, name: pass.name, log: options.log ?? (() => {}) },
        () => predict(images, pass.progress?.()),
      );
    },
    async estimate(images, timing = {}) {
      const views = ttaViews(tta).length;
      const key = await keyOf(images);
      const found = cache && key !== null ? await cachedScores(cache, key, images.count, columns) : null;
      if (found && "values" in found) return { images: images.count, views, how: "cached", seconds: 0 };
      const clock = timing.clock ?? (() => performance.now());
      const first = (count: number) => selectImages(images, Array.from({ length: Math.min(images.count, count) }, (_, i) => i));
      const timed = first(timing.sample ?? 256);
      await predict(first(16));
      const started = clock();
      await predict(timed);
      const seconds = timed.count === 0 ? 0 : (images.count / timed.count) * Math.max((clock() - started) / 1000, 1e-6);
      return { images: images.count, views, how: "timed", seconds };
    },
    dispose() {
      if (model !== options.loaded) model?.dispose();
      model = undefined;
    },
  };
}

/**
 * A stand-in for {@linkcode modelScorer} that scores nothing: each set's cost is estimated (`estimate`) and
 * handed to `record` with the pass's name, and rows of equal probabilities are returned, so that the caller's
 * own work around the scoring (its checks, its datasets, its choice of images) runs as it would. `fer run
 * <ensemble> --estimate` prices its members' scoring through the very code that scores them.
 *
 * @param record Told each set's estimate.
 * @param timing How the sets not in the cache are timed.
 * @returns A factory with modelScorer's signature.
 * @example
 * ```ts
 * const parts: ScoringEstimate[] = [];
 * await memberPredictions(run, { ...options, scorer: estimatingScorer((part) => parts.push(part)) });
 * ```
 */
export function estimatingScorer(
  record: (estimate: ScoringEstimate & { name: string }) => void,
  timing: ScoringTiming = {},
): (options: ModelScorerOptions) => ModelScorer {
  return (options) => {
    const real = modelScorer(options);
    return {
      async scores(images, pass) {
        const estimate = await real.estimate(images, timing);
        record({ ...estimate, name: pass.name });
        const uniform = new Float32Array(options.columns).fill(1 / options.columns);
        return { rows: Array.from({ length: images.count }, () => uniform), cached: estimate.how === "cached" };
      },
      estimate: (images, given) => real.estimate(images, given ?? timing),
      dispose: () => real.dispose(),
    };
  };
}
