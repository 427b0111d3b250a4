/**
 * The sweep's summary: per setting, mean and spread across seeds of each
 * metric; the best setting chosen on validation; and each other setting's
 * difference from it, paired by seed, with whether it is within noise.
 *
 * @module
 */
import {
  MIN_SEEDS_FOR_VERDICT,
  pairedSeedDifference,
  type SeedDifference,
  type SeedSummary,
  type SeedVerdict,
  summarizeSeeds,
} from "../eval/seed_statistics.ts";
import { describeParams } from "./expand_trials.ts";
import type { TrialRecord } from "./sweep_folder.ts";

/** One setting over its seeds. */
export interface SettingSummary {
  setting: string;
  params: Record<string, unknown>;
  /** Seeds whose trial completed. */
  seeds: number[];
  /** Trials of the setting that did not complete (failed, pending, interrupted). */
  incomplete: number;
  valAccuracy: SeedSummary;
  valMacroF1: SeedSummary;
  /** Expected calibration error on validation: a setting can tie on accuracy and differ here (distillation's temperature does). */
  valEce: SeedSummary;
  testAccuracy: SeedSummary;
  testMacroF1: SeedSummary;
  /** Validation accuracy of the best setting minus this one's, paired by seed; null for the best itself. */
  gapToBest: SeedDifference | null;
}

/** The whole summary. */
export interface SweepSummary {
  /** In setting order. */
  settings: SettingSummary[];
  /** Highest mean validation accuracy (ties: validation macro-F1); null when no trial completed. */
  best: SettingSummary | null;
  /**
   * `ensemble`: each trial is an ensemble run, whose seed draws only its combiner's folds, so its seeds measure the
   * folds' noise, not a training's. @default "run"
   */
  trialKind?: "run" | "ensemble";
}

/**
 * Summarises the trials by setting. Only validation picks the best setting;
 * test is reported beside it, never used to choose.
 *
 * @param records The sweep's trial records.
 * @param trialKind Whether the trials are runs or ensemble runs (see {@linkcode SweepSummary.trialKind}).
 * @returns Per-setting summaries and the best one.
 * @example
 * ```ts
 * const base = { status: "completed", params: {}, metrics: { valAccuracy: 0.5, valMacroF1: 0.5, testAccuracy: 0.5, testMacroF1: 0.5 } };
 * const s = summarizeSweep([{ ...base, key: "t001-seed1", setting: "t001", seed: 1 }] as TrialRecord[]);
 * console.assert(s.best?.setting === "t001" && s.best.valAccuracy.mean === 0.5);
 * ```
 */
export function summarizeSweep(records: readonly TrialRecord[], trialKind: "run" | "ensemble" = "run"): SweepSummary {
  const bySetting = new Map<string, TrialRecord[]>();
  for (const record of records) bySetting.set(record.setting, [...(bySetting.get(record.setting) ?? []), record]);
  const settings = [...bySetting.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([setting, trials]): SettingSummary => {
    const done = trials.filter((t) => t.status === "completed" && t.metrics !== null);
    const values = (pick: (r: TrialRecord) => number | null | undefined) => done.map((t) => pick(t) ?? NaN);
    return {
      setting,
      params: trials[0].params,
      seeds: done.map((t) => t.seed),
      incomplete: trials.length - done.length,
      valAccuracy: summarizeSeeds(values((t) => t.metrics?.valAccuracy)),
      valMacroF1: summarizeSeeds(values((t) => t.metrics?.valMacroF1)),
      valEce: summarizeSeeds(values((t) => t.metrics?.valEce)),
      testAccuracy: summarizeSeeds(values((t) => t.metrics?.testAccuracy)),
      testMacroF1: summarizeSeeds(values((t) => t.metrics?.testMacroF1)),
      gapToBest: null,
    };
  });
  const ranked = settings.filter((s) => s.valAccuracy.count > 0).sort((a, b) =>
    b.valAccuracy.mean - a.valAccuracy.mean || (b.valMacroF1.mean || 0) - (a.valMacroF1.mean || 0)
  );
  const best = ranked[0] ?? null;
  if (best) {
    const bySeed = (setting: string) =>
      new Map(records.filter((r) => r.setting === setting && r.status === "completed" && r.metrics).map((r) => [r.seed, r.metrics!.valAccuracy]));
    const bestValues = bySeed(best.setting);
    for (const s of settings) if (s !== best && s.valAccuracy.count > 0) s.gapToBest = pairedSeedDifference(bestValues, bySeed(s.setting));
  }
  return { settings, best, trialKind };
}

const COLUMNS = ["setting", "params", "seeds", "incomplete", "val_acc_mean", "val_acc_sd", "val_acc_low", "val_acc_high", "val_f1_mean", "val_f1_sd", "val_ece_mean", "val_ece_sd", "test_acc_mean", "test_acc_sd", "test_f1_mean", "test_f1_sd", "gap_to_best", "gap_low", "gap_high", "verdict"];

/**
 * The summary as CSV, one row per setting (numbers to 4 decimals; intervals are 95% t intervals over seeds).
 *
 * @param summary From {@linkcode summarizeSweep}.
 * @returns CSV text with a header line.
 * @example
 * ```ts
 * console.assert(summaryCsv({ settings: [], best: null }).startsWith("setting,params,seeds"));
 * ```
 */
export function summaryCsv(summary: SweepSummary): string {
  const n = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? "" : v.toFixed(4));
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = summary.settings.map((s) => [
    s.setting,
    describeParams(s.params),
    s.seeds.join(" "),
    String(s.incomplete),
    n(s.valAccuracy.mean),
    n(s.valAccuracy.sd),
    n(s.valAccuracy.low),
    n(s.valAccuracy.high),
    n(s.valMacroF1.mean),
    n(s.valMacroF1.sd),
    n(s.valEce.mean),
    n(s.valEce.sd),
    n(s.testAccuracy.mean),
    n(s.testAccuracy.sd),
    n(s.testMacroF1.mean),
    n(s.testMacroF1.sd),
    n(s.gapToBest?.mean),
    n(s.gapToBest?.low),
    n(s.gapToBest?.high),
    s.gapToBest?.verdict ?? "",
  ]);
  return [COLUMNS, ...rows].map((line) => line.map(field).join(",")).join("\n") + "\n";
}

/**
 * The summary as text lines for the terminal and summary.md: each setting's
 * validation and test mean ± SD over seeds, and how far it is from the best
 * (paired by seed), saying whether the gap is within noise (3 seeds or more).
 *
 * @param summary From {@linkcode summarizeSweep}.
 * @returns Lines (no trailing newline on each).
 * @example
 * ```ts
 * console.assert(summaryLines({ settings: [], best: null })[0].startsWith("No trial completed"));
 * ```
 */
export function summaryLines(summary: SweepSummary): string[] {
  if (!summary.best) return ["No trial completed yet: nothing to summarise"];
  const pm = (s: SeedSummary) => (s.count === 0 || Number.isNaN(s.mean) ? "-" : `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}`);
  const lines = summary.settings.map((s) => {
    const gap = s === summary.best
      ? "best on validation"
      : s.gapToBest
      ? `${s.gapToBest.mean.toFixed(3)} below best [${s.gapToBest.low.toFixed(3)}, ${s.gapToBest.high.toFixed(3)}]${
        VERDICT_TEXT[s.gapToBest.verdict]
      }`
      : "no completed trial";
    return `${s.setting}  ${describeParams(s.params)}  seeds ${s.seeds.length}${s.incomplete ? ` (+${s.incomplete} not completed)` : ""}  val acc ${pm(s.valAccuracy)}  val F1 ${pm(s.valMacroF1)}  val ECE ${pm(s.valEce)}  test acc ${pm(s.testAccuracy)}  (${gap})`;
  });
  const best = summary.best;
  lines.push(
    `Best on validation: ${best.setting} (${describeParams(best.params)}), val accuracy ${best.valAccuracy.mean.toFixed(3)} ` +
      `[${best.valAccuracy.low.toFixed(3)}, ${best.valAccuracy.high.toFixed(3)}] over ${best.valAccuracy.count} seed(s), mean ± SD across seeds, 95% t interval`,
  );
  const close = summary.settings.filter((s) => s.gapToBest?.verdict === "within_noise");
  if (close.length > 0) lines.push(`Within noise of the best (paired by seed): ${close.map((s) => s.setting).join(", ")}; the seeds cannot tell them apart`);
  if (summary.settings.some((s) => s.gapToBest?.verdict === "too_few_seeds")) {
    lines.push(
      `Fewer than ${MIN_SEEDS_FOR_VERDICT} shared seeds for some settings: no verdict on their gaps; ` +
        (summary.trialKind === "ensemble"
          ? "an ensemble trial's seed draws only its combiner's folds, so more seeds would not tell its settings apart: compare them image by image with the best"
          : "add seeds to tell them apart"),
    );
  }
  return lines;
}

const VERDICT_TEXT: Record<SeedVerdict, string> = {
  within_noise: ": within noise",
  beyond_noise: ": worse beyond noise",
  too_few_seeds: ": too few seeds to judge",
};
