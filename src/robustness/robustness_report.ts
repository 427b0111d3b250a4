/**
 * robustness.json: what `fer robustness` measured, and the summaries made
 * from it (accuracy drop per perturbation and family, corruption errors
 * against a baseline run). Pure: no I/O, no tensors.
 *
 * @module
 */
import { createHash } from "node:crypto";
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

/**
 * What each image of the split scored, as digit strings (one character per
 * image, in the split's order) so robustness.json stays plain text: 2,570
 * images and 22 perturbations take about 59 KB.
 */
export interface PerImageRobustness {
  /**
   * SHA-256 (16 hex digits) of the images' paths and labels in order: two
   * reports with the same digest scored the same images in the same order.
   */
  digest: string;
  /** "1" where the clean image was classified right, else "0". */
  clean: string;
  /** Per perturbation name: at how many of severities 1-5 the image was classified right, "0" to "5". */
  perturbations: Record<string, string>;
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
  /**
   * Per-image results, for paired comparisons of runs (absent in reports
   * written before 2026-12-04): see {@linkcode PerImageRobustness}.
   */
  perImage?: PerImageRobustness;
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
 * The per-image part of robustness.json from a measurement's counts.
 *
 * @param images The scored images' paths (relative to the dataset root) and labels, in order.
 * @param correct Per image: clean right (0/1); per perturbation, severities right (0-5).
 * @param perturbationNames The perturbations, in the order of `correct.perPerturbation`.
 * @returns Digest and digit strings.
 * @example
 * ```ts
 * const perImage = encodePerImage({ paths: ["a.png"], labels: Uint8Array.of(0) }, { clean: Uint8Array.of(1), perPerturbation: [Uint8Array.of(3)] }, ["jpeg"]);
 * console.assert(perImage.clean === "1" && perImage.perturbations.jpeg === "3");
 * ```
 */
export function encodePerImage(
  images: { paths: readonly string[]; labels: Uint8Array },
  correct: { clean: Uint8Array; perPerturbation: readonly Uint8Array[] },
  perturbationNames: readonly string[],
): PerImageRobustness {
  const digits = (values: Uint8Array) => Array.from(values, (v) => String(v)).join("");
  const hash = createHash("sha256");
  images.paths.forEach((path, i) => hash.update(`${path}\u0000${images.labels[i]}\n`));
  return {
    digest: hash.digest("hex").slice(0, 16),
    clean: digits(correct.clean),
    perturbations: Object.fromEntries(perturbationNames.map((name, k) => [name, digits(correct.perPerturbation[k])])),
  };
}

/**
 * Per-image scores of one row of a comparison, from a report's per-image
 * part: the clean result (0 or 1), one perturbation's fraction of severities
 * right, or the mean of those fractions over several perturbations (a family,
 * or all). Their mean over images is the row's accuracy in the report.
 *
 * @param perImage The report's per-image part.
 * @param row "clean", or the perturbations whose fractions are averaged.
 * @returns One score in [0, 1] per image.
 * @throws {ConfigError} When a perturbation has no per-image results in the report.
 * @example
 * ```ts
 * const scores = perImageScores(report.perImage!, ["jpeg", "pixelate"]);
 * ```
 */
export function perImageScores(perImage: PerImageRobustness, row: "clean" | readonly string[]): Float64Array {
  if (row === "clean") return Float64Array.from(perImage.clean, Number);
  const strings = row.map((name) => {
    const digits = perImage.perturbations[name];
    if (digits === undefined) throw new ConfigError(`The report has no per-image results for "${name}"; run fer robustness again with it in the suite`);
    return digits;
  });
  const scores = new Float64Array(perImage.clean.length);
  for (const digits of strings) for (let i = 0; i < scores.length; i++) scores[i] += Number(digits[i]) / 5;
  for (let i = 0; i < scores.length; i++) scores[i] /= strings.length;
  return scores;
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
