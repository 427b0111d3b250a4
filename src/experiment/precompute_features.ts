/**
 * The transfer family's optional step before training: the frozen
 * backbone's features of each split, read from the feature cache or computed
 * once, so the head trains (and, in frozen mode, is evaluated) on feature
 * rows instead of running the backbone every epoch.
 *
 * @module
 */
import { join } from "node:path";
import type { Rng } from "../core/seed.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { Dataset } from "../data/load_dataset.ts";
import type { TransferModel } from "../transfer/build_transfer_model.ts";
import { featureCache, featureKey } from "../transfer/feature_cache.ts";
import type { Backbone } from "../transfer/load_backbone.ts";
import { passProgress } from "../train/progress_bar.ts";
import { splitFeatures } from "../transfer/split_features.ts";
import type { TransferSection } from "../transfer/transfer_section.ts";
import type { FeatureSplit } from "./evaluate_head.ts";
import type { RunConfig } from "./run_config.ts";

/** What {@linkcode precomputeFeatures} gives the training and evaluation steps. */
export interface PrecomputedFeatures {
  /** Features of train and validation (and test in frozen mode); null when the mode needs none. */
  splits: { train: FeatureSplit; validation: FeatureSplit; test?: FeatureSplit } | null;
  /** Per split: whether its features were read from the cache or computed (metrics.json records it). */
  cacheUse: Record<string, "cached" | "computed">;
  /** Seconds spent on features, all splits together. */
  seconds: number;
}

/**
 * Computes (or reads from `<cacheDir>/features`) the features the mode
 * needs: frozen mode trains and evaluates the head on them; fine_tune warms
 * its head up on train and validation features first; pretrained needs none.
 * Validation and test features are taken from blurred images when
 * `dataset.evalBlurSigma` asks for it, as their image batches are.
 *
 * @param built The transfer model (its extractor computes the features).
 * @param facts The config and its transfer section, the dataset (fingerprint), the splits, the backbone (fingerprint), the generator and the backend name (part of the cache key).
 * @param ctx The cache folder (null: no cache) and the run's output.
 * @returns The feature splits, the cache use per split and the seconds spent.
 * @example
 * ```ts
 * const features = await precomputeFeatures(built, { config, section, dataset, splits, backbone, rng, backend: "wasm" }, ctx);
 * console.assert(features.splits === null || features.splits.train.matrix.rows === splits.train.count);
 * ```
 */
export async function precomputeFeatures(
  built: TransferModel,
  facts: {
    config: RunConfig;
    section: TransferSection;
    dataset: Dataset;
    splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
    backbone: Backbone;
    rng: Rng;
    backend: string;
  },
  ctx: { cacheDir: string | null; log: (line: string) => void; write: (text: string) => void; interactive: boolean },
): Promise<PrecomputedFeatures> {
  const { config, section, splits } = facts;
  const cache = ctx.cacheDir === null ? null : featureCache(join(ctx.cacheDir, "features"));
  const cacheUse: Record<string, "cached" | "computed"> = {};
  const started = performance.now();
  const features = async (name: string, set: ImageSet, blurSigma: number): Promise<FeatureSplit> => {
    const key = featureKey({
      dataset: facts.dataset.fingerprint,
      backbone: facts.backbone.fingerprint,
      split: name,
      paths: set.paths,
      shape: [set.height, set.width, set.channels],
      preprocessing: config.dataset.preprocessing,
      blurSigma,
      backend: facts.backend,
    });
    const splitStarted = performance.now();
    const onProgress = passProgress(`Features ${name}`, ctx);
    const { matrix, cached } = await splitFeatures(built.extractor!, set, {
      cache, key, numClasses: config.dataset.classes.length, preprocessing: config.dataset.preprocessing, blurSigma, rng: facts.rng, onProgress,
    });
    cacheUse[name] = cached ? "cached" : "computed";
    const seconds = ((performance.now() - splitStarted) / 1000).toFixed(1);
    ctx.log(`Features ${name}: ${set.count} images ${cached ? "read from the cache" : "computed"} in ${seconds} s`);
    return { set, matrix };
  };
  const blur = config.dataset.evalBlurSigma;
  const needed = section.mode === "frozen" || (section.mode === "fine_tune" && section.headWarmupEpochs > 0);
  const computed = needed
    ? {
      train: await features("train", splits.train, 0),
      validation: await features("validation", splits.validation, blur),
      test: section.mode === "frozen" && splits.test && splits.test.count > 0 ? await features("test", splits.test, blur) : undefined,
    }
    : null;
  return { splits: computed, cacheUse, seconds: (performance.now() - started) / 1000 };
}
