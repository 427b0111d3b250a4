/**
 * Statistics across seeds: the spread of a metric over repeated runs of one
 * setting, and the difference of two settings paired by seed.
 *
 * @module
 */

/** Mean, spread and a t interval of a metric over seeds. */
export interface SeedSummary {
  /** Number of values (seeds). */
  count: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  sd: number;
  /** 95% Student-t interval of the mean; equal to the mean for a single value. */
  low: number;
  high: number;
}

/**
 * Summarises one metric over seeds.
 *
 * @param values One value per seed (NaN values are left out).
 * @returns Count, mean, sample SD and the 95% t interval of the mean.
 * @example
 * ```ts
 * const s = summarizeSeeds([0.5, 0.7]);
 * console.assert(Math.abs(s.mean - 0.6) < 1e-12 && Math.abs(s.sd - 0.141421) < 1e-6);
 * console.assert(Math.abs(s.high - (0.6 + 12.706 * 0.1)) < 1e-3);
 * ```
 */
export function summarizeSeeds(values: readonly number[]): SeedSummary {
  const kept = values.filter((v) => !Number.isNaN(v));
  const count = kept.length;
  if (count === 0) return { count: 0, mean: NaN, sd: NaN, low: NaN, high: NaN };
  const mean = kept.reduce((s, v) => s + v, 0) / count;
  if (count === 1) return { count, mean, sd: 0, low: mean, high: mean };
  const sd = Math.sqrt(kept.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1));
  const half = studentT975(count - 1) * sd / Math.sqrt(count);
  return { count, mean, sd, low: mean - half, high: mean + half };
}

/** What the seeds say about a difference. */
export type SeedVerdict = "within_noise" | "beyond_noise" | "too_few_seeds";

/** A difference of two settings paired by seed. */
export interface SeedDifference extends SeedSummary {
  /**
   * `within_noise` when the 95% interval contains 0 (the seeds cannot tell
   * the settings apart), `beyond_noise` when it does not, `too_few_seeds`
   * below 3 shared seeds (with 2, a spread of 0 by chance would make any
   * difference look certain).
   */
  verdict: SeedVerdict;
}

/** Fewest shared seeds for a verdict on a difference. */
export const MIN_SEEDS_FOR_VERDICT = 3;

/**
 * The difference first - second of a metric, paired by seed (the same seed
 * draws the same split, order and initialisation, so its noise cancels in
 * part). Only seeds both settings have are used.
 *
 * @param first Metric value by seed for the first setting.
 * @param second Metric value by seed for the second.
 * @returns The summary of the per-seed differences, and the verdict.
 * @example
 * ```ts
 * const d = pairedSeedDifference(new Map([[1, 0.7], [2, 0.8], [3, 0.75]]), new Map([[1, 0.6], [2, 0.71], [3, 0.64], [4, 0.9]]));
 * console.assert(d.count === 3 && Math.abs(d.mean - 0.1) < 1e-12 && d.verdict === "beyond_noise");
 * ```
 */
export function pairedSeedDifference(first: ReadonlyMap<number, number>, second: ReadonlyMap<number, number>): SeedDifference {
  const differences: number[] = [];
  for (const [seed, value] of first) {
    const other = second.get(seed);
    if (other !== undefined && !Number.isNaN(value) && !Number.isNaN(other)) differences.push(value - other);
  }
  const summary = summarizeSeeds(differences);
  const verdict = summary.count < MIN_SEEDS_FOR_VERDICT ? "too_few_seeds" : summary.low <= 0 && summary.high >= 0 ? "within_noise" : "beyond_noise";
  return { ...summary, verdict };
}

/**
 * A paired difference as a table cell: signed, three decimals, with its 95%
 * t interval from 3 seeds on, else with the seed count; blank with no shared seed.
 *
 * @param d From {@linkcode pairedSeedDifference}.
 * @returns The cell text.
 * @example
 * ```ts
 * const d = pairedSeedDifference(new Map([[1, 0.72], [2, 0.74]]), new Map([[1, 0.7], [2, 0.71]]));
 * console.assert(seedDifferenceText(d) === "+0.025 (2 seeds)");
 * ```
 */
export function seedDifferenceText(d: SeedDifference): string {
  if (d.count === 0) return "";
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}`;
  return d.verdict === "too_few_seeds"
    ? `${signed(d.mean)} (${d.count} seed${d.count > 1 ? "s" : ""})`
    : `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;
}

/**
 * The name under which a run's seeds group in tables across seeds: the run's
 * config name, less a trailing `-seed<its seed>`. A sweep names each trial
 * `<sweep>-<setting>-seed<seed>` (src/sweep/expand_trials.ts), so the seeds of
 * one setting (`distill_sweep-t002`) form one row, as the seeds of a config run
 * with `fer run <config> --seed N` do under the config's name.
 *
 * @param name The run's config name (its manifest's `name`).
 * @param seed The run's training seed.
 * @returns The group name.
 * @example
 * ```ts
 * console.assert(seedGroupName("sweep-t002-seed3", 3) === "sweep-t002");
 * console.assert(seedGroupName("sweep-t002-seed3", 4) === "sweep-t002-seed3");
 * console.assert(seedGroupName("small_cnn", 3) === "small_cnn");
 * ```
 */
export function seedGroupName(name: string, seed: number): string {
  const suffix = `-seed${seed}`;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}

// 97.5th percentiles of Student's t for 1..30 degrees of freedom.
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
  2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5th percentile of Student's t; beyond 30 degrees of freedom a 1/df correction of the normal value. */
function studentT975(dof: number): number {
  if (dof <= 30) return T_975[dof - 1];
  return 1.959964 + 2.37 / dof;
}
