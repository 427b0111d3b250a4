/**
 * Paired bootstrap interval of an accuracy difference between two
 * classifiers scored on the same images.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { bootstrapInterval, type Interval } from "./confidence_interval.ts";

/** Options for {@linkcode pairedBootstrapDifference}. */
export interface PairedBootstrapOptions {
  /** Number of resamples. @default 2000 */
  resamples?: number;
}

/**
 * 95% percentile-bootstrap interval of accuracy(first) - accuracy(second).
 *
 * Images are resampled with replacement and both classifiers are scored on
 * the same resample, so the interval reflects the pairing: it is narrower
 * than one built from the two accuracies' own intervals when the
 * classifiers err on the same images.
 *
 * @param firstCorrect Per image, whether the first classifier was right.
 * @param secondCorrect The same images, in the same order, for the second.
 * @param rng Seeded generator (the interval is reproducible from its seed).
 * @param options See {@linkcode PairedBootstrapOptions}.
 * @returns The interval; `value` is the observed difference.
 * @throws {RangeError} When the two arrays differ in length.
 * @example
 * ```ts
 * const first = [true, true, true, false];
 * const ci = pairedBootstrapDifference(first, [true, false, true, false], makeRng(1));
 * console.assert(ci.value === 0.25 && ci.low >= 0 && ci.high <= 0.75);
 * ```
 */
export function pairedBootstrapDifference(
  firstCorrect: readonly boolean[],
  secondCorrect: readonly boolean[],
  rng: Rng,
  options: PairedBootstrapOptions = {},
): Interval {
  return pairedBootstrapMeanDifference(firstCorrect.map(Number), secondCorrect.map(Number), rng, options);
}

/**
 * 95% percentile-bootstrap interval of mean(first) - mean(second) over
 * per-image scores of two classifiers on the same images: the general form of
 * {@linkcode pairedBootstrapDifference}, for scores that are not one right or
 * wrong answer (the fraction of five severities an image was right at, or the
 * mean of such fractions over a family of perturbations).
 *
 * @param firstScores Per image, the first classifier's score.
 * @param secondScores The same images, in the same order, for the second.
 * @param rng Seeded generator (the interval is reproducible from its seed).
 * @param options See {@linkcode PairedBootstrapOptions}.
 * @returns The interval; `value` is the observed difference of the means.
 * @throws {RangeError} When the two arrays differ in length.
 * @example
 * ```ts
 * const ci = pairedBootstrapMeanDifference([1, 0.8, 0.6, 0], [1, 0.4, 0.6, 0], makeRng(1));
 * console.assert(Math.abs(ci.value - 0.1) < 1e-12 && ci.low >= 0);
 * ```
 */
export function pairedBootstrapMeanDifference(
  firstScores: ArrayLike<number>,
  secondScores: ArrayLike<number>,
  rng: Rng,
  options: PairedBootstrapOptions = {},
): Interval {
  if (firstScores.length !== secondScores.length) {
    throw new RangeError(
      `A paired bootstrap needs the same images for both classifiers; found ${firstScores.length} and ${secondScores.length} predictions`,
    );
  }
  // Per image, the first's score minus the second's; their mean is the difference.
  const delta = Float64Array.from({ length: firstScores.length }, (_, i) => firstScores[i] - secondScores[i]);
  const meanDelta = (indices: number[]) => {
    let sum = 0;
    for (const i of indices) sum += delta[i];
    return indices.length === 0 ? 0 : sum / indices.length;
  };
  return bootstrapInterval(delta.length, meanDelta, rng, { resamples: options.resamples ?? 2000 });
}
