/**
 * robustness.json: what `fer robustness` measured, and the summaries made
 * from it (accuracy drop per perturbation and family, corruption errors
 * against a baseline run). Pure: no I/O, no tensors.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { Interval } from "../eval/confidence_interval.ts";
import { corruptionErrorSummary, type CorruptionScores } from "../eval/corruption_error.ts";
import { PERTURBATION_FAMILIES, type PerturbationFamily } from "./perturbation.ts";

/** Accuracy and macro-F1 of one evaluation (clean, or one perturbation at one severity). */
export interface RobustnessScore {
  accuracy: number;
  /** Wilson 95% interval of accuracy. */
  accuracyInterval: Interval;
  macroF1: number;
}

/** One perturbation at one severity. */
export interface RobustnessResult extends RobustnessScore {
  perturbation: string;
  family: PerturbationFamily;
  severity: number;
}

/** One perturbation over its five severities. */
export interface PerturbationSummary {
  perturbation: string;
  family: PerturbationFamily;
  /** Mean accuracy over severities 1-5. */
  meanAccuracy: number;
  /** Clean accuracy minus the mean accuracy: what the perturbation costs. */
  accuracyDrop: number;
  /** Mean error (1 - accuracy) over severities: the unnormalised corruption error. */
  meanError: number;
  /** Corruption error against the baseline run (sum of errors / the baseline's); null without a baseline. */
  ce: number | null;
  /** Relative corruption error against the baseline; null without one or where the baseline lost nothing. */
  relativeCe: number | null;
}

/** One family averaged over its perturbations and severities. */
export interface FamilySummary {
  family: PerturbationFamily;
  meanAccuracy: number;
  accuracyDrop: number;
}

/** The whole of robustness.json. */
export interface RobustnessReport {
  runId: string;
  /** Dataset root the images came from, its fingerprint, and whether it is synthetic. */
  root: string;
  fingerprint: string;
  synthetic: boolean;
  split: string;
  /** Images evaluated (all of the split, or a stratified subset when `limit` was set). */
  images: number;
  classes: string[];
  /** Seed of the perturbations' random draws. */
  seed: number;
  backend: string;
  /** The perturbations run, with what severities 1-5 mean. */
  suite: { name: string; family: PerturbationFamily; description: string }[];
  clean: RobustnessScore;
  results: RobustnessResult[];
  perPerturbation: PerturbationSummary[];
  perFamily: FamilySummary[];
  /** Mean accuracy over every perturbation and severity. */
  meanCorruptionAccuracy: number;
  /** Mean corruption accuracy divided by clean accuracy (1 = nothing lost). */
  relativeRobustness: number;
  /** The baseline run the corruption errors are relative to, with mCE and relative mCE; null without one. */
  baseline: { runId: string; mCE: number; relativeMCE: number | null } | null;
  /** Wall-clock seconds of the whole command's suite (loading, perturbing, predicting). */
  seconds: number;
  /** Of which perturbing images and finding repeated ones (JavaScript, one thread). */
  perturbSeconds: number;
  /** Of which predicting (the backend). */
  predictSeconds: number;
  /** Images the model ran on: each distinct image once (absent in reports written before images were deduplicated). */
  predictions?: number;
  createdAt: string;
}

/**
 * The summaries of robustness.json from its measurements.
 *
 * @param clean The clean score.
 * @param results Every perturbation at every severity.
 * @param baseline A baseline run's report (same split and perturbations), or null.
 * @returns Per-perturbation and per-family summaries, the means, and the baseline's mCE.
 * @throws {ConfigError} When the baseline report is of another split.
 * @example
 * ```ts
 * const clean = { accuracy: 0.8, accuracyInterval: interval, macroF1: 0.8 };
 * const s = summariseRobustness(clean, [{ ...clean, accuracy: 0.6, perturbation: "jpeg", family: "quality", severity: 1 }], null);
 * console.assert(Math.abs(s.perPerturbation[0].accuracyDrop - 0.2) < 1e-12);
 * ```
 */
export function summariseRobustness(
  clean: RobustnessScore,
  results: readonly RobustnessResult[],
  baseline: Pick<RobustnessReport, "runId" | "split" | "clean" | "results"> | null,
  split?: string,
): Pick<RobustnessReport, "perPerturbation" | "perFamily" | "meanCorruptionAccuracy" | "relativeRobustness" | "baseline"> {
  if (baseline && split !== undefined && baseline.split !== split) {
    throw new ConfigError(
      `Baseline run ${baseline.runId} was measured on ${baseline.split}, this run on ${split}; run fer robustness on the baseline with --split ${split} first`,
    );
  }
  const names = [...new Set(results.map((r) => r.perturbation))];
  const errorsOf = (rows: readonly RobustnessResult[]): CorruptionScores["errors"] =>
    Object.fromEntries(names.map((name) => [name, sorted(rows.filter((r) => r.perturbation === name)).map((r) => 1 - r.accuracy)]));
  const ce = baseline
    ? corruptionErrorSummary(
      { cleanError: 1 - clean.accuracy, errors: errorsOf(results) },
      { cleanError: 1 - baseline.clean.accuracy, errors: Object.fromEntries(Object.entries(errorsOf(baseline.results)).filter(([, e]) => e.length > 0)) },
    )
    : null;
  const perPerturbation = names.map((name): PerturbationSummary => {
    const rows = results.filter((r) => r.perturbation === name);
    const meanAccuracy = mean(rows.map((r) => r.accuracy));
    return {
      perturbation: name,
      family: rows[0].family,
      meanAccuracy,
      accuracyDrop: clean.accuracy - meanAccuracy,
      meanError: 1 - meanAccuracy,
      ce: ce?.perCorruption[name]?.ce ?? null,
      relativeCe: ce?.perCorruption[name]?.relativeCe ?? null,
    };
  });
  const perFamily = PERTURBATION_FAMILIES.filter((f) => results.some((r) => r.family === f)).map((family) => {
    const meanAccuracy = mean(results.filter((r) => r.family === family).map((r) => r.accuracy));
    return { family, meanAccuracy, accuracyDrop: clean.accuracy - meanAccuracy };
  });
  const meanCorruptionAccuracy = mean(results.map((r) => r.accuracy));
  return {
    perPerturbation,
    perFamily,
    meanCorruptionAccuracy,
    relativeRobustness: clean.accuracy > 0 ? meanCorruptionAccuracy / clean.accuracy : 0,
    baseline: baseline && ce ? { runId: baseline.runId, mCE: ce.mCE, relativeMCE: ce.relativeMCE } : null,
  };
}

/**
 * The perturbations that cost the most accuracy, worst first.
 *
 * @param report A robustness report.
 * @param count How many. @default 5
 * @returns Their summaries.
 * @example
 * ```ts
 * const worst = worstPerturbations(report, 3).map((p) => p.perturbation);
 * ```
 */
export function worstPerturbations(report: Pick<RobustnessReport, "perPerturbation">, count = 5): PerturbationSummary[] {
  return [...report.perPerturbation].sort((a, b) => b.accuracyDrop - a.accuracyDrop).slice(0, count);
}

function sorted(rows: readonly RobustnessResult[]): RobustnessResult[] {
  return [...rows].sort((a, b) => a.severity - b.severity);
}

function mean(values: readonly number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
