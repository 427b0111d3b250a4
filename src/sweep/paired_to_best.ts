/**
 * Each setting of a sweep against the best one, image by image on
 * validation: for every seed both ran, the two trials' runs are compared on
 * the same images (paired bootstrap interval of the accuracy difference and
 * McNemar's test, comparePairedRuns). The summary's verdict pairs settings by
 * seed and needs three seeds; this one needs one, so it judges the sweeps whose
 * trials are too dear for several seeds, and ensemble sweeps, whose seed draws
 * only the combiner's folds, not other members. It says whether two settings
 * differ on these images, not whether the difference would hold for another
 * draw of the training: that is the seeds' question.
 *
 * Test is left out: the best setting is chosen on validation, and test is read
 * once, by the model chosen.
 *
 * @module
 */
import type { PairedSplitComparison } from "./paired_run_comparison.ts";
import { comparePairedRuns } from "./paired_run_comparison.ts";
import { describeParams } from "./expand_trials.ts";
import type { SweepSummary } from "./summarize_sweep.ts";
import type { TrialRecord } from "./sweep_folder.ts";

/** One setting against the best on one seed's runs. */
export interface PairedToBest {
  setting: string;
  params: Record<string, unknown>;
  seed: number;
  bestRunId: string;
  runId: string;
  /** The best's accuracy minus this setting's (`first` is the best), on the validation images both scored. */
  validation: PairedSplitComparison;
}

/**
 * Compares each other setting's completed trials with the best setting's of the same seed, on validation.
 *
 * @param resultsRoot Results folder.
 * @param records The sweep's trial records.
 * @param summary From summarizeSweep (its `best` is the reference).
 * @param options `log` says a pair that cannot be compared (a run folder gone, other images), which is left out.
 * @returns One row per setting and shared seed, in setting then seed order; empty without a best setting.
 * @example
 * ```ts
 * const rows = await pairedToBest("results", records, summarizeSweep(records));
 * console.log(pairedToBestLines(rows, summary).join("\n"));
 * ```
 */
export async function pairedToBest(
  resultsRoot: string,
  records: readonly TrialRecord[],
  summary: SweepSummary,
  options: { log?: (line: string) => void } = {},
): Promise<PairedToBest[]> {
  const best = summary.best;
  if (!best) return [];
  const completed = records.filter((r) => r.status === "completed" && r.runId !== null);
  const bestRuns = new Map(completed.filter((r) => r.setting === best.setting).map((r) => [r.seed, r.runId!]));
  const rows: PairedToBest[] = [];
  for (const setting of summary.settings) {
    if (setting === best) continue;
    for (const record of completed.filter((r) => r.setting === setting.setting).sort((a, b) => a.seed - b.seed)) {
      const bestRunId = bestRuns.get(record.seed);
      if (bestRunId === undefined) continue;
      try {
        // Validation only: test is neither read to choose nor compared here.
        const [validation] = (await comparePairedRuns(resultsRoot, bestRunId, record.runId!, { splits: ["validation"] })).splits;
        rows.push({ setting: setting.setting, params: setting.params, seed: record.seed, bestRunId, runId: record.runId!, validation });
      } catch (error) {
        options.log?.(`${record.key} against the best's run ${bestRunId}: not compared (${(error as Error).message})`);
      }
    }
  }
  return rows;
}

/**
 * The comparisons as lines for a terminal and summary.md.
 *
 * @param rows From {@linkcode pairedToBest}.
 * @param summary The summary they were made for (names the best setting).
 * @returns Lines without newlines; none without rows.
 * @example
 * ```ts
 * console.assert(pairedToBestLines([], { settings: [], best: null }).length === 0);
 * ```
 */
export function pairedToBestLines(rows: readonly PairedToBest[], summary: SweepSummary): string[] {
  if (rows.length === 0 || !summary.best) return [];
  const sign = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
  const lines = [`Against the best (${summary.best.setting}) image by image on validation, run against run of the same seed:`];
  for (const row of rows) {
    const { difference: d, mcnemar, count } = row.validation;
    lines.push(
      `  ${row.setting}  ${describeParams(row.params)}  seed ${row.seed}, n=${count}: best - this ${sign(d.value)} [${sign(d.low)}, ${sign(d.high)}] ` +
        `(paired bootstrap 95%); McNemar ${mcnemar.onlyFirst} only the best right, ${mcnemar.onlySecond} only this, p = ${mcnemar.pValue.toPrecision(3)}: ` +
        (row.validation.withinNoise ? "the images cannot tell them apart" : "a real difference on these images at the 5% level"),
    );
  }
  return lines;
}
