/**
 * Fits a combiner on the members' validation predictions, with out-of-fold
 * validation predictions for the combiners that learn something.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { applyCombiner, type CombinerModel, type StackingFeatures, stackingFeatures } from "./apply_combiner.ts";
import { type CombinerName } from "../experiment/run_metrics.ts";
import { fitLogisticRegression } from "./fit_logistic_regression.ts";
import { fitVoteWeights } from "./fit_vote_weights.ts";
import { fitLogLinearPool } from "./log_linear_pool.ts";
import { checkShapes, type ProbabilityRows } from "./soft_vote.ts";
import { stratifiedFolds } from "./stratified_folds.ts";

/** How fitted combiners are fitted. */
export interface FittingOptions {
  /** Folds of the cross-validation on validation (the fitted combiners: weighted soft vote, stacking, log-linear pool). */
  folds: number;
  /** L2 coefficient of the stacking meta-learner's weights, and of the log-linear pool's member weights. */
  l2: number;
  /** Stacking input: probabilities or log-probabilities. */
  features: StackingFeatures;
}

/** What {@linkcode fitCombiner} returns. */
export interface CombinerFit {
  /** The combiner fitted on all validation images: what is applied to test. */
  model: CombinerModel;
  /** Ensemble probabilities per validation image. */
  validation: number[][];
  /**
   * `out_of_fold`: each validation row comes from a combiner fitted on the
   * other folds, so it never saw that image's label; `direct`: nothing was
   * fitted (soft and majority vote).
   */
  validationMode: "out_of_fold" | "direct";
  /** Fold index per validation image; null when nothing was fitted. */
  folds: number[] | null;
}

/**
 * Fits `kind` on validation only. For the fitted combiners (weighted soft
 * vote, stacking, log-linear pool) the validation images are split into
 * stratified folds; each fold is predicted by a combiner fitted on the others
 * (the reported validation metrics are these out-of-fold predictions), and
 * the final combiner is refitted on all of validation. Test data never enter:
 * the function takes no test input.
 *
 * @param kind The combiner.
 * @param validation Each member's validation rows and the validation labels.
 * @param options Fitting options and the generator that draws the folds.
 * @returns The final combiner and the validation predictions.
 * @throws {ConfigError} When shapes disagree or the folds do not fit the validation size.
 * @example
 * ```ts
 * const fit = fitCombiner("soft_vote", { members: [[[0.9, 0.1]], [[0.3, 0.7]]], labels: [0] }, { folds: 5, l2: 1e-3, features: "log_probabilities", rng: makeRng(0) });
 * console.assert(fit.validationMode === "direct" && Math.abs(fit.validation[0][0] - 0.6) < 1e-12);
 * ```
 */
export function fitCombiner(
  kind: CombinerName,
  validation: { members: readonly ProbabilityRows[]; labels: ArrayLike<number> },
  options: FittingOptions & { rng: Rng },
): CombinerFit {
  const { members, labels } = validation;
  checkShapes(members);
  if (kind === "soft_vote" || kind === "majority_vote") {
    const model: CombinerModel = { kind };
    return { model, validation: applyCombiner(model, members), validationMode: "direct", folds: null };
  }
  const fit = (indices: readonly number[]) => fitOn(kind, members.map((m) => indices.map((i) => m[i])), indices.map((i) => labels[i]), options);
  const folds = stratifiedFolds(labels, options.folds, options.rng);
  const out: number[][] = new Array(labels.length);
  for (let f = 0; f < options.folds; f++) {
    const held = folds.flatMap((fold, i) => (fold === f ? [i] : []));
    const kept = folds.flatMap((fold, i) => (fold === f ? [] : [i]));
    const rows = applyCombiner(fit(kept), members.map((m) => held.map((i) => m[i])));
    held.forEach((index, k) => (out[index] = rows[k]));
  }
  const all = Array.from({ length: labels.length }, (_, i) => i);
  return { model: fit(all), validation: out, validationMode: "out_of_fold", folds };
}

function fitOn(
  kind: "weighted_soft_vote" | "stacking" | "log_linear_pool",
  members: readonly ProbabilityRows[],
  labels: number[],
  options: FittingOptions,
): CombinerModel {
  if (kind === "weighted_soft_vote") {
    const { weights, logLoss, iterations } = fitVoteWeights(members, labels);
    return { kind, weights, logLoss, iterations };
  }
  if (kind === "log_linear_pool") return { kind, ...fitLogLinearPool(members, labels, { l2: options.l2 }) };
  const meta = fitLogisticRegression(stackingFeatures(members, options.features), labels, {
    numClasses: members[0][0].length,
    l2: options.l2,
  });
  return { kind, features: options.features, meta };
}
