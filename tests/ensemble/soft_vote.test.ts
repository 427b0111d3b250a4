import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { softVote } from "../../src/ensemble/soft_vote.ts";
import { majorityVote } from "../../src/ensemble/majority_vote.ts";

const a = [[0.8, 0.2], [0.3, 0.7], [0.5, 0.5]];
const b = [[0.4, 0.6], [0.1, 0.9], [0.9, 0.1]];

describe("softVote", () => {
  it("averages the members' probabilities image by image", () => {
    const rows = softVote([a, b]);
    expect(rows.map((r) => r.map((v) => +v.toFixed(12)))).toEqual([[0.6, 0.4], [0.2, 0.8], [0.7, 0.3]]);
  });

  it("weights the members when weights are given", () => {
    const rows = softVote([a, b], [0.25, 0.75]);
    expect(rows[0].map((v) => +v.toFixed(12))).toEqual([0.5, 0.5]);
    expect(rows[2].map((v) => +v.toFixed(12))).toEqual([0.8, 0.2]);
  });

  it("refuses weights that do not sum to 1", () => {
    expect(() => softVote([a, b], [0.5, 0.6])).toThrow(ConfigError);
    expect(() => softVote([a, b], [0.5, 0.6])).toThrow("Soft-vote weights [0.5, 0.6] are not 2 non-negative numbers summing to 1");
  });

  it("refuses members evaluated on different numbers of images", () => {
    expect(() => softVote([a, b.slice(1)])).toThrow("Member 1 has 2 probability rows of 2 classes; member 0 has 3 of 2");
  });

  it("refuses an empty member list", () => {
    expect(() => softVote([])).toThrow("An ensemble needs at least one member");
  });
});

describe("majorityVote", () => {
  it("lets two members outvote a third that is very sure", () => {
    const [row] = majorityVote([[[0.55, 0.45]], [[0.6, 0.4]], [[0.01, 0.99]]]);
    expect(row[0]).toBeGreaterThan(row[1]);
  });

  it("breaks a tie in votes by the summed probability of the tied classes", () => {
    // Votes 1-1; summed probability: class 0 gets 0.6 + 0.1 = 0.7, class 1 gets 0.4 + 0.9 = 1.3.
    const [row] = majorityVote([[[0.6, 0.4]], [[0.1, 0.9]]]);
    expect(row[1]).toBeGreaterThan(row[0]);
    const [mirrored] = majorityVote([[[0.9, 0.1]], [[0.4, 0.6]]]);
    expect(mirrored[0]).toBeGreaterThan(mirrored[1]);
  });

  it("gives rows that sum to 1: the vote share blended with the soft vote at 1 / (M + 2)", () => {
    const [row] = majorityVote([[[0.6, 0.4]], [[0.1, 0.9]]]);
    // M = 2, blend 1/4: class 0 = (0.75 * 1 + 0.25 * 0.7) / 2 = 0.4625.
    expect(row[0]).toBeCloseTo(0.4625, 12);
    expect(row[0] + row[1]).toBeCloseTo(1, 12);
  });
});
