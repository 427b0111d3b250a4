/**
 * Paired tests between two runs evaluated on the same images: McNemar's
 * test and a paired bootstrap interval of the accuracy difference, per split.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import type { Interval } from "../eval/confidence_interval.ts";
import { mcnemarTest, type McNemarResult } from "../eval/mcnemar_test.ts";
import { pairedBootstrapDifference } from "../eval/paired_bootstrap.ts";
import { type PredictionRecord, readPredictions } from "../experiment/read_predictions.ts";
import { openRun } from "../experiment/run_store.ts";

/** The paired comparison on one split. */
export interface PairedSplitComparison {
  split: string;
  /** Images both runs predicted (matched by split and path). */
  count: number;
  /** Images only one of the runs evaluated (left out of the tests). */
  unmatched: number;
  firstAccuracy: number;
  secondAccuracy: number;
  /** accuracy(first) - accuracy(second), paired bootstrap 95% interval. */
  difference: Interval;
  mcnemar: McNemarResult;
  /** McNemar's p >= 0.05: the images cannot tell the two runs apart at the 5% level. */
  withinNoise: boolean;
}

/** Both runs and their per-split comparisons. */
export interface PairedRunComparison {
  first: string;
  second: string;
  splits: PairedSplitComparison[];
}

/** Options of {@linkcode comparePairedRuns}. */
export interface PairedComparisonOptions {
  /** Seeds the bootstrap. @default 0 */
  seed?: number;
  /** Bootstrap resamples. @default 2000 */
  resamples?: number;
  /** The splits to compare (a sweep's choice reads validation only). @default every split both evaluated */
  splits?: readonly string[];
}

/**
 * Compares two runs image by image on every split both evaluated.
 *
 * @param resultsRoot Results folder.
 * @param firstId The first run.
 * @param secondId The second run.
 * @param options See {@linkcode PairedComparisonOptions}.
 * @returns One comparison per shared split, in the first run's split order.
 * @throws {ConfigError} When a run has no predictions, the runs share no image, or an image has two different true labels.
 * @example
 * ```ts
 * const paired = await comparePairedRuns("results", idA, idB);
 * console.log(pairedComparisonLines(paired).join("\n"));
 * ```
 */
export async function comparePairedRuns(
  resultsRoot: string,
  firstId: string,
  secondId: string,
  options: PairedComparisonOptions = {},
): Promise<PairedRunComparison> {
  const first = await readPredictions(await openRun(resultsRoot, firstId));
  const second = await readPredictions(await openRun(resultsRoot, secondId));
  const key = (r: PredictionRecord) => `${r.split}\u0000${r.path}`;
  const secondByKey = new Map(second.map((r) => [key(r), r]));
  const splits: PairedSplitComparison[] = [];
  for (const split of [...new Set(first.map((r) => r.split))].filter((name) => options.splits?.includes(name) ?? true)) {
    const mine = first.filter((r) => r.split === split);
    const matched = mine.filter((r) => secondByKey.has(key(r)));
    if (matched.length === 0) continue;
    const firstCorrect: boolean[] = [];
    const secondCorrect: boolean[] = [];
    for (const record of matched) {
      const other = secondByKey.get(key(record))!;
      if (other.trueClass !== record.trueClass) {
        throw new ConfigError(
          `Image ${record.path} (${split}) is "${record.trueClass}" in run ${firstId} but "${other.trueClass}" in run ${secondId}; paired tests need the same labelled images (same dataset and classes)`,
        );
      }
      firstCorrect.push(record.predictedClass === record.trueClass);
      secondCorrect.push(other.predictedClass === other.trueClass);
    }
    const theirs = second.filter((r) => r.split === split).length;
    const mcnemar = mcnemarTest(firstCorrect, secondCorrect);
    const accuracy = (c: boolean[]) => c.filter(Boolean).length / c.length;
    splits.push({
      split,
      count: matched.length,
      unmatched: mine.length - matched.length + theirs - matched.length,
      firstAccuracy: accuracy(firstCorrect),
      secondAccuracy: accuracy(secondCorrect),
      difference: pairedBootstrapDifference(firstCorrect, secondCorrect, makeRng(options.seed ?? 0), { resamples: options.resamples ?? 2000 }),
      mcnemar,
      withinNoise: mcnemar.pValue >= 0.05,
    });
  }
  if (splits.length === 0) {
    throw new ConfigError(
      `Runs ${firstId} and ${secondId} share no evaluated image; paired tests need runs evaluated on the same images (same dataset, classes and limitPerSplit)`,
    );
  }
  return { first: firstId, second: secondId, splits };
}

/**
 * The comparison as text lines: per split, both accuracies, the difference
 * with its paired bootstrap interval, McNemar's counts and p-value, and
 * whether the difference is within noise.
 *
 * @param paired From {@linkcode comparePairedRuns}.
 * @returns Lines without newlines.
 * @example
 * ```ts
 * const lines = pairedComparisonLines(await comparePairedRuns("results", idA, idB));
 * console.assert(lines[0].startsWith("Paired tests"));
 * ```
 */
export function pairedComparisonLines(paired: PairedRunComparison): string[] {
  const lines = [`Paired tests, A = ${paired.first} vs B = ${paired.second}, on the images both evaluated:`];
  for (const s of paired.splits) {
    const d = s.difference;
    const sign = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
    lines.push(
      `  ${s.split} n=${s.count}${s.unmatched ? ` (${s.unmatched} unmatched left out)` : ""}: accuracy A ${s.firstAccuracy.toFixed(3)}, B ${s.secondAccuracy.toFixed(3)}, ` +
        `A - B ${sign(d.value)} [${sign(d.low)}, ${sign(d.high)}] (paired bootstrap 95%); ` +
        `McNemar: ${s.mcnemar.onlyFirst} only A right, ${s.mcnemar.onlySecond} only B right, p = ${s.mcnemar.pValue.toPrecision(3)} (${s.mcnemar.method === "exact" ? "exact binomial" : "chi-square, continuity-corrected"}): ` +
        (s.withinNoise ? "within noise" : "a real difference at the 5% level"),
    );
  }
  return lines;
}
