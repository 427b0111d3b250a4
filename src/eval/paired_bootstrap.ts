/**
 * Paired bootstrap interval of an accuracy difference between two
 * classifiers scored on the same images.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { bootstrapIntervals, type Interval } from "./confidence_interval.ts";

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
  return pairedBootstrapMeanDifferences([{ first: firstScores, second: secondScores }], rng, options)[0];
}

/**
 * {@linkcode pairedBootstrapMeanDifference} of several pairs of score lists
 * over the same images (rows of a table, runs against one reference), on one
 * shared set of resamples: each image resample scores every pair, which is
 * also what a reader comparing the rows would want.
 *
 * @param pairs Per pair, the first and second classifier's per-image scores, every list over the same images in the same order.
 * @param rng Seeded generator (the intervals are reproducible from its seed).
 * @param options See {@linkcode PairedBootstrapOptions}.
 * @returns One interval of mean(first) - mean(second) per pair, in order.
 * @throws {RangeError} When the lists differ in length.
 * @example
 * ```ts
 * const [a, b] = pairedBootstrapMeanDifferences([{ first: [1, 0.6], second: [1, 0.2] }, { first: [0, 1], second: [0, 1] }], makeRng(1));
 * console.assert(Math.abs(a.value - 0.2) < 1e-12 && b.value === 0);
 * ```
 */
export function pairedBootstrapMeanDifferences(
  pairs: readonly { first: ArrayLike<number>; second: ArrayLike<number> }[],
  rng: Rng,
  options: PairedBootstrapOptions = {},
): Interval[] {
  const count = pairs[0]?.first.length ?? 0;
  for (const { first, second } of pairs) {
    if (first.length !== count || second.length !== count) {
      throw new RangeError(
        `A paired bootstrap needs the same images for both classifiers; found ${first.length} and ${second.length} predictions` +
          (first.length === second.length ? ` where other pairs have ${count}` : ""),
      );
    }
  }
  // Per image, the first's score minus the second's; their mean is the difference.
  const statistics = pairs.map(({ first, second }) => {
    const delta = Float64Array.from({ length: count }, (_, i) => first[i] - second[i]);
    return (indices: number[]) => {
      let sum = 0;
      for (const i of indices) sum += delta[i];
      return indices.length === 0 ? 0 : sum / indices.length;
    };
  });
  return bootstrapIntervals(count, statistics, rng, { resamples: options.resamples ?? 2000 });
}
