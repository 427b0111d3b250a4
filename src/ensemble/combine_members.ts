/**
 * The combining step of an ensemble: fit on validation, apply to test once.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { applyCombiner } from "./apply_combiner.ts";
import type { EnsembleConfig } from "./ensemble_config.ts";
import { type CombinerFit, fitCombiner } from "./fit_combiner.ts";
import type { MemberPredictions } from "./member_predictions.ts";

/** What {@linkcode combineMembers} returns. */
export interface CombinedPredictions {
  /** The fitted combiner and the (out-of-fold when fitted) validation rows. */
  fit: CombinerFit;
  /** The ensemble's test rows; null when the members have no test split. */
  test: number[][] | null;
}

/**
 * Fits the combiner on the members' validation probabilities and validation
 * labels, then applies the final combiner to their test probabilities, once.
 * It reads no test label: test labels are only read afterwards, to score the
 * result (see evaluateEnsemble).
 *
 * @param members The members' predictions, checked by checkMembers.
 * @param options The combiner and fitting settings, and the generator for the folds.
 * @returns The fit and the test rows.
 * @example
 * ```ts
 * const { fit, test } = combineMembers(members, { combiner: "stacking", fitting: config.fitting, rng: makeRng(config.seed) });
 * ```
 */
export function combineMembers(
  members: readonly MemberPredictions[],
  options: Pick<EnsembleConfig, "combiner" | "fitting"> & { rng: Rng },
): CombinedPredictions {
  const fit = fitCombiner(
    options.combiner,
    { members: members.map((m) => m.validation.probabilities), labels: members[0].validation.labels },
    { ...options.fitting, rng: options.rng },
  );
  const tests = members.map((m) => m.test?.probabilities);
  const test = tests.every((rows) => rows !== undefined) ? applyCombiner(fit.model, tests as number[][][]) : null;
  return { fit, test };
}
