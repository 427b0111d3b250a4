/**
 * Disaggregated metrics: scores of one group of samples, and the gaps between
 * groups (largest difference and ratio, equalised-odds differences per class,
 * one-vs-rest), as Fairlearn's MetricFrame reports them.
 *
 * @module
 */
import { macroF1 } from "./classification_metrics.ts";
import { type Interval, wilsonInterval } from "./confidence_interval.ts";

/** Scores of one group. */
export interface GroupScores {
  count: number;
  accuracy: number;
  /** Wilson 95% interval of accuracy. */
  accuracyInterval: Interval;
  macroF1: number;
  /** True-positive rate per class name; null where the group has no sample of the class. */
  recall: Record<string, number | null>;
  /** False-positive rate per class name, one-vs-rest; null where the group has only samples of the class. */
  falsePositiveRate: Record<string, number | null>;
}

/** Gaps between groups. */
export interface GroupGapScores {
  best: string | null;
  worst: string | null;
  /** Best minus worst accuracy; null with fewer than two groups. */
  accuracyDifference: number | null;
  /** Worst over best accuracy (1 = equal); null with fewer than two groups or a best of 0. */
  accuracyRatio: number | null;
  macroF1Difference: number | null;
  /** Per class: the largest between-group differences in TPR and FPR, and the larger of the two (the equalised-odds difference). */
  equalisedOdds: Record<string, { truePositiveRateDifference: number | null; falsePositiveRateDifference: number | null; difference: number | null }>;
}

/**
 * Scores of the samples of one group.
 *
 * @param yTrue True class per sample of the group.
 * @param yPred Predicted class per sample.
 * @param labels Class names in label order.
 * @returns The group's scores (accuracy 0 and an empty interval for an empty group).
 * @example
 * ```ts
 * const s = groupScores([0, 0, 1], [0, 1, 1], ["a", "b"]);
 * console.assert(s.recall.a === 0.5 && s.falsePositiveRate.b === 0.5);
 * ```
 */
export function groupScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: readonly string[]): GroupScores {
  const n = yTrue.length;
  let correct = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) correct++;
  const recall: Record<string, number | null> = {};
  const falsePositiveRate: Record<string, number | null> = {};
  labels.forEach((name, c) => {
    let positives = 0, truePositives = 0, negatives = 0, falsePositives = 0;
    for (let i = 0; i < n; i++) {
      if (yTrue[i] === c) {
        positives++;
        if (yPred[i] === c) truePositives++;
      } else {
        negatives++;
        if (yPred[i] === c) falsePositives++;
      }
    }
    recall[name] = positives ? truePositives / positives : null;
    falsePositiveRate[name] = negatives ? falsePositives / negatives : null;
  });
  return {
    count: n,
    accuracy: n ? correct / n : 0,
    accuracyInterval: wilsonInterval(correct, n),
    macroF1: n ? macroF1(yTrue, yPred, labels.length) : 0,
    recall,
    falsePositiveRate,
  };
}

/**
 * The gaps between groups: best and worst by accuracy, their difference and
 * ratio, the macro-F1 difference, and per class the equalised-odds difference
 * (largest TPR gap and largest FPR gap between groups that have the rate).
 *
 * @param groups Named group scores (leave out groups too small to judge).
 * @param labels Class names.
 * @returns The gaps.
 * @example
 * ```ts
 * const a = groupScores([0, 1], [0, 1], ["x", "y"]), b = groupScores([0, 1], [0, 0], ["x", "y"]);
 * const gaps = groupGaps([{ group: "a", ...a }, { group: "b", ...b }], ["x", "y"]);
 * console.assert(gaps.accuracyDifference === 0.5 && gaps.equalisedOdds.y.difference === 1);
 * ```
 */
export function groupGaps(groups: readonly (GroupScores & { group: string })[], labels: readonly string[]): GroupGapScores {
  const spread = (values: (number | null)[]): number | null => {
    const present = values.filter((v): v is number => v !== null);
    return present.length >= 2 ? Math.max(...present) - Math.min(...present) : null;
  };
  const equalisedOdds: GroupGapScores["equalisedOdds"] = {};
  for (const name of labels) {
    const tpr = spread(groups.map((g) => g.recall[name]));
    const fpr = spread(groups.map((g) => g.falsePositiveRate[name]));
    equalisedOdds[name] = {
      truePositiveRateDifference: tpr,
      falsePositiveRateDifference: fpr,
      difference: tpr === null && fpr === null ? null : Math.max(tpr ?? 0, fpr ?? 0),
    };
  }
  if (groups.length < 2) {
    return { best: groups[0]?.group ?? null, worst: groups[0]?.group ?? null, accuracyDifference: null, accuracyRatio: null, macroF1Difference: null, equalisedOdds };
  }
  const byAccuracy = [...groups].sort((a, b) => b.accuracy - a.accuracy);
  const best = byAccuracy[0], worst = byAccuracy[byAccuracy.length - 1];
  return {
    best: best.group,
    worst: worst.group,
    accuracyDifference: best.accuracy - worst.accuracy,
    accuracyRatio: best.accuracy > 0 ? worst.accuracy / best.accuracy : null,
    macroF1Difference: spread(groups.map((g) => g.macroF1)),
    equalisedOdds,
  };
}
