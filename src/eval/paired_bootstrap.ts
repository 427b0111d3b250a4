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
  if (firstCorrect.length !== secondCorrect.length) {
    throw new RangeError(
      `A paired bootstrap needs the same images for both classifiers; found ${firstCorrect.length} and ${secondCorrect.length} predictions`,
    );
  }
  // Per image: +1 only the first right, -1 only the second, 0 otherwise; the mean is the difference.
  const delta = firstCorrect.map((c, i) => Number(c) - Number(secondCorrect[i]));
  const meanDelta = (indices: number[]) => indices.length === 0 ? 0 : indices.reduce((sum, i) => sum + delta[i], 0) / indices.length;
  return bootstrapInterval(delta.length, meanDelta, rng, { resamples: options.resamples ?? 2000 });
}
