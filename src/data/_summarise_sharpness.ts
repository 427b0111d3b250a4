/**
 * Summarises per-image sharpness by split and flags splits that differ.
 *
 * @module
 */
import type { SplitName } from "./classes.ts";
import type { SharpnessSummary } from "./_data_report_parts.ts";

/** Largest ratio of split medians still treated as one source; random splits of one source stay near 1. */
const SHIFT_RATIO = 1.5;

/**
 * Mean and median sharpness per split, the ratio of the largest to the
 * smallest median, and whether it exceeds 1.5. Splits drawn from one source
 * have nearly equal medians; a larger ratio means one split was blurred,
 * recompressed or rescaled, which a model trained on it will feel.
 *
 * @param images Sharpness of every readable image with its split.
 * @returns The summary; ratio 1 when fewer than two splits have images.
 * @example
 * ```ts
 * const summary = summariseSharpness([
 *   { split: "train", sharpness: 3 },
 *   { split: "test", sharpness: 12 },
 * ]);
 * console.assert(summary.ratio === 4 && summary.shifted);
 * ```
 */
export function summariseSharpness(images: readonly { split: SplitName; sharpness: number }[]): SharpnessSummary {
  const bySplit = new Map<SplitName, number[]>();
  for (const { split, sharpness } of images) {
    const values = bySplit.get(split);
    if (values) values.push(sharpness);
    else bySplit.set(split, [sharpness]);
  }
  const perSplit: SharpnessSummary["perSplit"] = {};
  const medians: number[] = [];
  for (const [split, values] of bySplit) {
    values.sort((a, b) => a - b);
    const middle = values.length >> 1;
    const median = values.length % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    perSplit[split] = { mean: values.reduce((a, b) => a + b, 0) / values.length, median };
    medians.push(median);
  }
  const smallest = Math.min(...medians);
  const ratio = medians.length < 2 ? 1 : smallest > 0 ? Math.max(...medians) / smallest : Infinity;
  return { perSplit, ratio, shifted: ratio > SHIFT_RATIO };
}
