/**
 * Corruption error, as in the corruption benchmarks (Hendrycks and Dietterich
 * 2019, ImageNet-C): a model's error summed over severities 1-5, divided by a
 * baseline model's, per corruption; mCE averages it over corruptions.
 *
 * @module
 */

/** Error rates of one model: on clean images and, per corruption, at severities 1-5. */
export interface CorruptionScores {
  /** Error rate (1 - accuracy) on the clean images. */
  cleanError: number;
  /** Error rates per corruption name, one per severity, in severity order. */
  errors: Record<string, readonly number[]>;
}

/** Corruption errors of a model against a baseline. */
export interface CorruptionErrorSummary {
  /** Per corruption: CE, and relative CE (null where the baseline lost nothing to it). */
  perCorruption: Record<string, { ce: number; relativeCe: number | null }>;
  /** Mean CE over the corruptions both models have. */
  mCE: number;
  /** Mean relative CE over the corruptions where it is defined; null when none is. */
  relativeMCE: number | null;
}

/**
 * Corruption error: `sum_s E_s / sum_s B_s`.
 *
 * @param errors The model's error rate per severity.
 * @param baselineErrors The baseline's, same severities.
 * @returns The ratio (1 = as robust as the baseline, lower is better); Infinity when the baseline never errs.
 * @example
 * ```ts
 * console.assert(corruptionError([0.2, 0.4], [0.4, 0.8]) === 0.5);
 * ```
 */
export function corruptionError(errors: readonly number[], baselineErrors: readonly number[]): number {
  return sum(errors) / sum(baselineErrors);
}

/**
 * Relative corruption error: `sum_s (E_s - E_clean) / sum_s (B_s - B_clean)`,
 * the degradation a corruption causes compared with the baseline's.
 *
 * @param errors The model's error rate per severity.
 * @param cleanError The model's clean error rate.
 * @param baselineErrors The baseline's per severity.
 * @param baselineCleanError The baseline's clean error rate.
 * @returns The ratio; null when the baseline's summed degradation is not positive (the ratio means nothing then).
 * @example
 * ```ts
 * console.assert(relativeCorruptionError([0.3, 0.5], 0.2, [0.4, 0.6], 0.3) === 0.5);
 * ```
 */
export function relativeCorruptionError(
  errors: readonly number[],
  cleanError: number,
  baselineErrors: readonly number[],
  baselineCleanError: number,
): number | null {
  const base = sum(baselineErrors.map((e) => e - baselineCleanError));
  if (!(base > 0)) return null;
  return sum(errors.map((e) => e - cleanError)) / base;
}

/**
 * CE and relative CE per corruption and their means, over the corruptions both models have.
 *
 * @param model The model's scores.
 * @param baseline The baseline's scores.
 * @returns The summary; corruptions only one side has are left out.
 * @example
 * ```ts
 * const s = corruptionErrorSummary(
 *   { cleanError: 0.1, errors: { noise: [0.2, 0.3] } },
 *   { cleanError: 0.2, errors: { noise: [0.4, 0.6] } },
 * );
 * console.assert(s.mCE === 0.5 && s.relativeMCE === 0.5);
 * ```
 */
export function corruptionErrorSummary(model: CorruptionScores, baseline: CorruptionScores): CorruptionErrorSummary {
  const perCorruption: CorruptionErrorSummary["perCorruption"] = {};
  for (const [name, errors] of Object.entries(model.errors)) {
    const base = baseline.errors[name];
    if (base === undefined) continue;
    perCorruption[name] = {
      ce: corruptionError(errors, base),
      relativeCe: relativeCorruptionError(errors, model.cleanError, base, baseline.cleanError),
    };
  }
  const values = Object.values(perCorruption);
  const relative = values.map((v) => v.relativeCe).filter((v): v is number => v !== null);
  return {
    perCorruption,
    mCE: values.length ? sum(values.map((v) => v.ce)) / values.length : NaN,
    relativeMCE: relative.length ? sum(relative) / relative.length : null,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
