/**
 * The check every transfer run gets: did predictions collapse onto one
 * class? A frozen backbone fed the wrong preprocessing typically predicts one
 * class for every image, which reads as "chance accuracy" in a table.
 *
 * @module
 */

/** Options of {@linkcode collapseWarnings}. */
export interface CollapseOptions {
  /** A class taking at least this share of the predictions is suspect. @default 0.9 */
  maxShare?: number;
  /** ... when its share of the predictions exceeds its share of the labels by at least this much. @default 0.25 */
  margin?: number;
}

/** What the check reads from a split's metrics. */
export interface SplitPredictionCounts {
  /** Predictions per class, in label order. */
  predictedCounts: number[];
  /** `confusion[true][predicted]`; its row sums are the true counts. */
  confusion: number[][];
}

/**
 * Finds splits whose predictions collapsed: one class takes at least
 * `maxShare` of the predictions while its share of the labels is at least
 * `margin` lower, or every image is predicted as one class that is not every
 * image's label.
 *
 * @param splits Predicted and true counts per split name (e.g. validation, test).
 * @param classes Class names in label order.
 * @param options See {@linkcode CollapseOptions}.
 * @returns One message per collapsed split; empty when none collapsed.
 * @example
 * ```ts
 * const warnings = collapseWarnings({ validation: { predictedCounts: [10, 0], confusion: [[5, 0], [5, 0]] } }, ["happy", "sad"]);
 * console.assert(warnings.length === 1 && warnings[0].includes('"happy"'));
 * ```
 */
export function collapseWarnings(
  splits: Readonly<Record<string, SplitPredictionCounts | undefined>>,
  classes: readonly string[],
  options: CollapseOptions = {},
): string[] {
  const maxShare = options.maxShare ?? 0.9;
  const margin = options.margin ?? 0.25;
  const warnings: string[] = [];
  for (const [name, split] of Object.entries(splits)) {
    if (split === undefined) continue;
    const total = split.predictedCounts.reduce((a, b) => a + b, 0);
    if (total < 2) continue;
    const top = split.predictedCounts.indexOf(Math.max(...split.predictedCounts));
    const share = split.predictedCounts[top] / total;
    const trueShare = (split.confusion[top] ?? []).reduce((a, b) => a + b, 0) / total;
    const allOne = share === 1 && trueShare < 1;
    if (!allOne && !(share >= maxShare && share - trueShare >= margin)) continue;
    warnings.push(
      `Predictions on ${name} collapsed to "${classes[top] ?? top}": ${percent(share)} of ${total} images ` +
        `(its share of the labels is ${percent(trueShare)}); check the backbone's input normalisation and the head's training`,
    );
  }
  return warnings;
}

function percent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}
