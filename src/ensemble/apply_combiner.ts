/**
 * A fitted combiner, as model/ensemble.json stores it, and how it turns the
 * members' probabilities into the ensemble's.
 *
 * @module
 */
import { LOG_FLOOR } from "./_combiner_math.ts";
import { type LogisticModel, logisticProbabilities } from "./fit_logistic_regression.ts";
import { type LogLinearPool, logLinearPool } from "./log_linear_pool.ts";
import { majorityVote } from "./majority_vote.ts";
import { checkShapes, type ProbabilityRows, softVote } from "./soft_vote.ts";

/** What the stacking meta-learner sees of each member: its probabilities, or their logarithms. */
export type StackingFeatures = "probabilities" | "log_probabilities";

/** A combiner with everything fitted, ready to apply. */
export type CombinerModel =
  | { kind: "soft_vote" }
  | { kind: "majority_vote" }
  | { kind: "weighted_soft_vote"; weights: number[]; logLoss: number; iterations: number }
  | { kind: "stacking"; features: StackingFeatures; meta: LogisticModel }
  | ({ kind: "log_linear_pool" } & LogLinearPool);

/**
 * Combines the members' probability rows with a fitted combiner. It sees
 * probabilities only, never labels.
 *
 * @param model From `fitCombiner` (or read back from model/ensemble.json).
 * @param members Each member's rows on the same images, in member order.
 * @returns The ensemble's probability rows.
 * @example
 * ```ts
 * const rows = applyCombiner({ kind: "weighted_soft_vote", weights: [1, 0], logLoss: 0, iterations: 0 }, [[[0.9, 0.1]], [[0.2, 0.8]]]);
 * console.assert(rows[0][0] === 0.9);
 * ```
 */
export function applyCombiner(model: CombinerModel, members: readonly ProbabilityRows[]): number[][] {
  checkShapes(members);
  switch (model.kind) {
    case "soft_vote":
      return softVote(members);
    case "weighted_soft_vote":
      return softVote(members, model.weights);
    case "majority_vote":
      return majorityVote(members);
    case "stacking":
      return logisticProbabilities(model.meta, stackingFeatures(members, model.features));
    case "log_linear_pool":
      return logLinearPool(model, members);
  }
}

/**
 * The meta-learner's input: per image, the members' rows side by side
 * (member 0's classes, then member 1's, ...), as probabilities or as their
 * logarithms (floored at {@linkcode LOG_FLOOR}).
 *
 * @param members Each member's rows.
 * @param features Which form.
 * @returns One feature row of `members x classes` values per image.
 * @example
 * ```ts
 * const [row] = stackingFeatures([[[0.9, 0.1]], [[0.2, 0.8]]], "probabilities");
 * console.assert(row.join() === "0.9,0.1,0.2,0.8");
 * ```
 */
export function stackingFeatures(members: readonly ProbabilityRows[], features: StackingFeatures): number[][] {
  return members[0].map((_, i) =>
    members.flatMap((member) => Array.from(member[i], (p) => (features === "probabilities" ? p : Math.log(Math.max(p, LOG_FLOOR)))))
  );
}
