/**
 * A trained model's probabilities over a set of images, kept in the feature
 * cache so that a model scored once over its test-time views is not scored
 * again: a distillation's teachers over the training images
 * (`<cacheDir>/teachers`), an ensemble's members over validation and test
 * (`<cacheDir>/predictions`). A 7-class VGG teacher over 12 views takes minutes on
 * two cores; an ensemble of five such members took three and a half minutes
 * each time a combiner, its regularisation or the member list changed.
 *
 * The key covers everything that determines the scores: the digest of the
 * model's files, the images (their paths and decoded shape, and the dataset
 * fingerprint the caller passes in `scoredWith`, which covers their bytes and
 * decoding), the preprocessing, the evaluation blur, the views, and the
 * backend, its precision and its packages' versions (`scoredWith` again, from
 * {@linkcode backendFacts}). Anything else gives another key, so a hit is the
 * same numbers a new pass would give.
 *
 * Models are scored, and their scoring estimated, through it by
 * model_scorer.ts.
 *
 * @module
 */
import { join } from "node:path";
import type { BackendInfo } from "../backend/backend_info.ts";
import type { Preprocessing } from "../data/to_tensor.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { TtaConfig } from "../predict/tta_config.ts";
import { type FeatureCache, featureCache, featureKey } from "../transfer/feature_cache.ts";

/** Who is scored, which names the cache's folder and the key's kind. */
export type ScorePurpose = "teachers" | "predictions";

/** What besides the model keys its scores of a set of images (see {@linkcode scoresKey}). */
export interface ScoreRequest {
  /** The images, decoded as the model reads them. */
  images: Pick<ImageSet, "paths" | "height" | "width" | "channels">;
  preprocessing: Preprocessing;
  /** The evaluation blur (`dataset.evalBlurSigma`); 0 or absent: none. */
  blurSigma?: number;
  tta: TtaConfig | null;
  /** The rest that changes the scores: the dataset's fingerprint, and the backend's {@linkcode backendFacts}. */
  scoredWith: Record<string, unknown>;
}

/**
 * What the backend adds to a score's key: its name, the precision it computes
 * in, and its packages' versions (another TensorFlow may round differently).
 *
 * @param backend The selected backend.
 * @returns The facts, for `scoredWith`.
 * @example
 * ```ts
 * const scoredWith = { dataset: dataset.fingerprint, ...backendFacts(await selectBackend("auto")) };
 * ```
 */
export function backendFacts(backend: Pick<BackendInfo, "name" | "precision" | "version">): Record<string, unknown> {
  return { backend: backend.name, precision: backend.precision.used, versions: backend.version };
}

/** Where a cached entry stands: its values, the reason it cannot be used, or null when there is none for these images. */
export type CachedScores = { values: Float32Array } | { unusable: string } | null;

/**
 * The score cache for one purpose under the decode cache folder; null when there is no cache folder.
 *
 * @param cacheDir The run context's cache folder (`.cache/datasets`), or null.
 * @param purpose Teachers' scores of training images, or a run's predictions of validation and test images.
 * @returns The cache, or null.
 * @example
 * ```ts
 * const cache = scoreCache(".cache/datasets", "predictions");
 * ```
 */
export function scoreCache(cacheDir: string | null | undefined, purpose: ScorePurpose): FeatureCache | null {
  return cacheDir == null ? null : featureCache(join(cacheDir, purpose));
}

/**
 * The cache key of a model's scores.
 *
 * @param purpose Teachers' scores of training images, or a run's predictions of validation and test images.
 * @param digest The model folder's `modelDigest` (model_files.ts; model_scorer.ts hashes it once for all its sets).
 * @param request The images and what else changes the scores.
 * @returns 64 hex digits.
 * @example
 * ```ts
 * const key = scoresKey("predictions", await modelDigest("results/runs/r/model"), { images: set, preprocessing: "scale_0_1", tta: null, scoredWith: {} });
 * ```
 */
export function scoresKey(purpose: ScorePurpose, digest: string, request: ScoreRequest): string {
  const { images } = request;
  return featureKey({
    kind: purpose === "teachers" ? "teacher-probabilities" : "run-probabilities",
    model: digest,
    preprocessing: request.preprocessing,
    tta: request.tta,
    ...(request.blurSigma ? { blurSigma: request.blurSigma } : {}),
    paths: images.paths,
    shape: [images.height, images.width, images.channels],
    ...request.scoredWith,
  });
}

/**
 * The scores stored under `key`: their values when the entry holds one row of
 * `columns` per image, the reason when the entry is damaged, null when there is
 * none (or it holds another shape). Every reader of the cache, a run and its
 * estimate alike, goes through here, so "cached" means the same to both.
 *
 * @param cache The score cache.
 * @param key From {@linkcode scoresKey}.
 * @param rows Images.
 * @param columns The model's classes.
 * @returns See above.
 * @example
 * ```ts
 * const found = await cachedScores(cache, key, set.count, 7);
 * ```
 */
export async function cachedScores(cache: FeatureCache, key: string, rows: number, columns: number): Promise<CachedScores> {
  const found = await cache.read(key);
  if (found.status === "invalid") return { unusable: found.reason };
  if (found.status === "hit" && found.entry.rows === rows && found.entry.columns === columns) return { values: found.entry.values };
  return null;
}

/**
 * A model's probability rows for `rows` images: read from the cache when they
 * are there, else computed by `score` and stored. With no cache or no key it
 * only scores. A damaged entry is said in the log and scored again; an entry
 * that cannot be written is said and costs the next run this pass, nothing more.
 *
 * @param cached Where to look: the cache, the key, the rows and columns expected, and a name for the log.
 * @param score Predicts the rows (called only on a miss).
 * @returns The rows, and whether they came from the cache.
 * @example
 * ```ts
 * const { rows, cached } = await scoresThroughCache(
 *   { cache, key, rows: set.count, columns: 7, name: "Member 20261206-…", log: console.log },
 *   () => predictProbabilities(model, source, { batchSize: 128, rng, tta }),
 * );
 * ```
 */
export async function scoresThroughCache(
  cached: { cache: FeatureCache | null; key: string | null; rows: number; columns: number; name: string; log: (line: string) => void },
  score: () => Promise<Float32Array[]>,
): Promise<{ rows: Float32Array[]; cached: boolean }> {
  const { cache, key, columns } = cached;
  const found = cache && key !== null ? await cachedScores(cache, key, cached.rows, columns) : null;
  if (found && "values" in found) {
    const values = found.values;
    return { rows: Array.from({ length: cached.rows }, (_, i) => values.subarray(i * columns, (i + 1) * columns)), cached: true };
  }
  if (found && "unusable" in found) cached.log(`${cached.name}: cached scores unusable (${found.unusable}); scoring again`);
  const rows = await score();
  if (cache && key !== null) {
    const values = new Float32Array(rows.length * columns);
    rows.forEach((row, i) => values.set(row, i * columns));
    await cache.write(key, { values, rows: rows.length, columns })
      .catch((error) => cached.log(`${cached.name}: scores not cached (${(error as Error).message})`));
  }
  return { rows, cached: false };
}
