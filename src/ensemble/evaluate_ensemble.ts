/**
 * Scores an ensemble run: the run metrics every reader knows, plus the
 * members' own scores on the same images and their diversity (the record,
 * EnsembleMetrics, is in src/experiment/run_metrics.ts).
 *
 * @module
 */
import { evaluatePredictions } from "../eval/evaluate_predictions.ts";
import type { CombinerName, EnsembleMetrics, SplitSummary } from "../experiment/run_metrics.ts";
import type { Rng } from "../core/seed.ts";
import type { CombinerFit } from "./fit_combiner.ts";
import { memberDiversity } from "./member_diversity.ts";
import type { MemberPredictions } from "./member_predictions.ts";
import { anyLeaked } from "../experiment/own_training_leakage.ts";
import type { ProbabilityRows } from "./soft_vote.ts";

/**
 * Scores the ensemble's validation predictions (out of fold when fitted) and
 * test predictions, each member on the same images, and the members'
 * diversity on validation. Labels are read here, after combining.
 *
 * @param members The members' predictions (their labels are the truth).
 * @param facts The combiner fit, the ensemble's test rows (null without a test split), its name, the bootstrap generator and the synthetic flag.
 * @returns The metrics.
 * @example
 * ```ts
 * const metrics = evaluateEnsemble(members, { fit, test, combiner: "soft_vote", rng: makeRng(42), synthetic: false });
 * ```
 */
export function evaluateEnsemble(
  members: readonly MemberPredictions[],
  facts: { fit: CombinerFit; test: number[][] | null; combiner: CombinerName; rng: Rng; synthetic: boolean },
): EnsembleMetrics {
  const [first] = members;
  const classes = first.classes;
  const evaluate = (rows: ProbabilityRows, labels: number[], leaked?: boolean[]) =>
    evaluatePredictions(rows, labels, { labels: classes, rng: facts.rng }, { leaked });
  const summary = (rows: ProbabilityRows, labels: number[]): SplitSummary => {
    const m = evaluate(rows, labels);
    return { accuracyInterval: m.accuracyInterval, macroF1: m.macroF1, logLoss: logLoss(rows, labels) };
  };
  const metrics: EnsembleMetrics = {
    classes: [...classes],
    synthetic: facts.synthetic,
    stopReason: "completed",
    epochsTrained: 0,
    keptEpoch: 0,
    // Members trained on other data may have seen other images: an image is leaked when any member's flags say so.
    validation: evaluate(facts.fit.validation, first.validation.labels, anyLeaked(members.map((m) => m.validation.leaked))),
    ensemble: {
      combiner: facts.combiner,
      validationMode: facts.fit.validationMode,
      weights: facts.fit.model.kind === "weighted_soft_vote" || facts.fit.model.kind === "log_linear_pool" ? facts.fit.model.weights : null,
      validationLogLoss: logLoss(facts.fit.validation, first.validation.labels),
      testLogLoss: facts.test && first.test ? logLoss(facts.test, first.test.labels) : null,
      members: members.map((member) => ({
        runId: member.runId,
        name: member.name,
        tta: member.tta,
        validation: summary(member.validation.probabilities, member.validation.labels),
        test: member.test ? summary(member.test.probabilities, member.test.labels) : null,
      })),
      diversity: memberDiversity(members.map((m) => m.validation.probabilities), first.validation.labels, {
        names: members.map((m) => `${m.name} (${m.runId.slice(-6)})`),
      }),
    },
  };
  if (facts.test && first.test) metrics.test = evaluate(facts.test, first.test.labels, anyLeaked(members.map((m) => m.test?.leaked)));
  return metrics;
}

function logLoss(rows: ProbabilityRows, labels: readonly number[]): number {
  if (labels.length === 0) return 0;
  return -labels.reduce((sum, y, i) => sum + Math.log(Math.max(rows[i][y], 1e-15)), 0) / labels.length;
}
