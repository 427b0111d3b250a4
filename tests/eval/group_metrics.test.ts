import { describe, expect, it } from "vitest";
import { groupGaps, groupScores } from "../../src/eval/group_metrics.ts";

const LABELS = ["happy", "sad"];

describe("groupScores", () => {
  it("computes accuracy, recall and false-positive rate by hand", () => {
    // true:  happy happy happy sad  sad
    // pred:  happy happy sad   sad  happy
    const s = groupScores([0, 0, 0, 1, 1], [0, 0, 1, 1, 0], LABELS);
    expect(s.count).toBe(5);
    expect(s.accuracy).toBeCloseTo(3 / 5, 12);
    expect(s.recall.happy).toBeCloseTo(2 / 3, 12);
    expect(s.recall.sad).toBeCloseTo(1 / 2, 12);
    // happy predicted for 1 of 2 sad images; sad predicted for 1 of 3 happy images.
    expect(s.falsePositiveRate.happy).toBeCloseTo(1 / 2, 12);
    expect(s.falsePositiveRate.sad).toBeCloseTo(1 / 3, 12);
    // F1 happy = 2*(2/3)*(2/3)/(4/3) = 2/3; F1 sad = 2*(1/2)*(1/2)/1 = 1/2.
    expect(s.macroF1).toBeCloseTo((2 / 3 + 1 / 2) / 2, 12);
  });

  it("leaves recall null for a class the group lacks", () => {
    const s = groupScores([0, 0], [0, 1], LABELS);
    expect(s.recall.sad).toBeNull();
    expect(s.falsePositiveRate.happy).toBeNull();
  });
});

describe("groupGaps", () => {
  it("finds best, worst, difference, ratio and equalised-odds differences", () => {
    const a = { group: "a", ...groupScores([0, 0, 1, 1], [0, 0, 1, 1], LABELS) }; // accuracy 1
    const b = { group: "b", ...groupScores([0, 0, 1, 1], [0, 1, 1, 0], LABELS) }; // accuracy 0.5
    const gaps = groupGaps([a, b], LABELS);
    expect(gaps.best).toBe("a");
    expect(gaps.worst).toBe("b");
    expect(gaps.accuracyDifference).toBeCloseTo(0.5, 12);
    expect(gaps.accuracyRatio).toBeCloseTo(0.5, 12);
    // happy: TPR 1 vs 0.5, FPR 0 vs 0.5 -> difference 0.5.
    expect(gaps.equalisedOdds.happy).toEqual({ truePositiveRateDifference: 0.5, falsePositiveRateDifference: 0.5, difference: 0.5 });
  });

  it("gives no difference for a single group", () => {
    const gaps = groupGaps([{ group: "only", ...groupScores([0], [0], LABELS) }], LABELS);
    expect(gaps.accuracyDifference).toBeNull();
    expect(gaps.best).toBe("only");
  });
});
