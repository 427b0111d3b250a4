import { describe, expect, it } from "vitest";
import { collapseWarnings } from "../../src/transfer/collapse_warnings.ts";

const classes = ["happy", "sad", "surprise", "neutral"];
/** Confusion with the given true counts, everything predicted as `predicted`. */
const allAs = (trueCounts: number[], predicted: number) => ({
  predictedCounts: classes.map((_, c) => (c === predicted ? trueCounts.reduce((a, b) => a + b, 0) : 0)),
  confusion: trueCounts.map((n) => classes.map((_, c) => (c === predicted ? n : 0))),
});

describe("collapseWarnings", () => {
  it("reports a split whose every prediction is one class, with its share of predictions and of labels", () => {
    expect(collapseWarnings({ validation: allAs([25, 25, 25, 25], 3) }, classes)).toEqual([
      'Predictions on validation collapsed to "neutral": 100.0% of 100 images (its share of the labels is 25.0%); ' +
      "check the backbone's input normalisation and the head's training",
    ]);
  });

  it("reports a near-collapse: 92 of 100 predictions for a class that is 40% of the labels", () => {
    const split = { predictedCounts: [92, 4, 2, 2], confusion: [[40, 0, 0, 0], [20, 4, 0, 0], [16, 0, 2, 0], [16, 0, 0, 2]] };
    expect(collapseWarnings({ test: split }, classes)).toHaveLength(1);
  });

  it("stays quiet when a dominant prediction matches a dominant class", () => {
    const split = { predictedCounts: [93, 3, 2, 2], confusion: [[90, 1, 0, 0], [2, 2, 0, 0], [1, 0, 2, 0], [0, 0, 0, 2]] };
    expect(collapseWarnings({ test: split }, classes)).toEqual([]);
  });

  it("stays quiet for a spread of predictions", () => {
    const split = { predictedCounts: [30, 20, 25, 25], confusion: [[20, 2, 2, 1], [5, 15, 3, 2], [3, 2, 18, 2], [2, 1, 2, 20]] };
    expect(collapseWarnings({ validation: split, test: undefined }, classes)).toEqual([]);
  });

  it("skips a split with fewer than two predictions", () => {
    expect(collapseWarnings({ test: allAs([1, 0, 0, 0], 2) }, classes)).toEqual([]);
  });
});
