import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { fitVoteWeights } from "../../src/ensemble/fit_vote_weights.ts";

// 2 members, 3 images, all of class 0. True-class probabilities: A 0.8, 0.2, 0.5; B 0.2, 0.6, 0.5.
// Log-loss L(w) = -sum log(w a_i + (1 - w) b_i); dL/dw = 0 gives 0.6 (0.6 - 0.4 w) = 0.4 (0.2 + 0.6 w), so w = 7/12.
const a = [[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]];
const b = [[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]];

describe("fitVoteWeights", () => {
  it("finds the hand-computed optimum of 2 members on 3 images", () => {
    const fit = fitVoteWeights([a, b], [0, 0, 0]);
    expect(fit.weights[0]).toBeCloseTo(7 / 12, 6);
    expect(fit.weights[1]).toBeCloseTo(5 / 12, 6);
    const w = 7 / 12;
    const expected = -(Math.log(w * 0.8 + (1 - w) * 0.2) + Math.log(w * 0.2 + (1 - w) * 0.6) + Math.log(0.5)) / 3;
    expect(fit.logLoss).toBeCloseTo(expected, 10);
  });

  it("starts from equal weights and never increases the log-loss", () => {
    const fit = fitVoteWeights([a, b], [0, 0, 0]);
    // Equal weights: true-class means 0.5, 0.4, 0.5.
    expect(fit.trace[0]).toBeCloseTo(-(Math.log(0.5) + Math.log(0.4) + Math.log(0.5)) / 3, 12);
    fit.trace.slice(1).forEach((value, i) => expect(value).toBeLessThanOrEqual(fit.trace[i]));
  });

  it("drives the weight of a member that is worse on every image towards 0", () => {
    const good = [[0.9, 0.1], [0.2, 0.8]];
    const bad = [[0.3, 0.7], [0.6, 0.4]];
    const fit = fitVoteWeights([bad, good], [0, 1]);
    expect(fit.weights[0]).toBeLessThan(1e-3);
  });

  it("is deterministic", () => {
    expect(fitVoteWeights([a, b], [0, 0, 0])).toEqual(fitVoteWeights([a, b], [0, 0, 0]));
  });

  it("keeps a single member at weight 1", () => {
    expect(fitVoteWeights([a], [0, 0, 0]).weights).toEqual([1]);
  });

  it("refuses a label count that does not match the rows", () => {
    expect(() => fitVoteWeights([a, b], [0, 0])).toThrow(ConfigError);
    expect(() => fitVoteWeights([a, b], [0, 0])).toThrow("Weight fitting got 2 labels for 3 probability rows");
  });

  it("refuses a label that is not a class index, instead of fitting on undefined probabilities", () => {
    expect(() => fitVoteWeights([a, b], [0, 2, 0])).toThrow("Label 2 at index 1 is not a class index in [0, 2)");
    expect(() => fitVoteWeights([a, b], [0, 0.5, 0])).toThrow(ConfigError);
  });
});
