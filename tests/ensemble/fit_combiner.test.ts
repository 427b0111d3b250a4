import { describe, expect, it } from "vitest";
import { applyCombiner, stackingFeatures } from "../../src/ensemble/apply_combiner.ts";
import { fitCombiner } from "../../src/ensemble/fit_combiner.ts";
import { fitVoteWeights } from "../../src/ensemble/fit_vote_weights.ts";
import { makeRng } from "../../src/core/seed.ts";

const options = { folds: 3, l2: 1e-3, features: "probabilities" as const };
// 2 members, 3 validation images of classes 0, 1, 1.
const a = [[0.7, 0.3], [0.4, 0.6], [0.2, 0.8]];
const b = [[0.6, 0.4], [0.55, 0.45], [0.3, 0.7]];
const labels = [0, 1, 1];

describe("fitCombiner", () => {
  it("fits nothing for soft voting and reports its validation rows directly", () => {
    const fit = fitCombiner("soft_vote", { members: [a, b], labels }, { ...options, rng: makeRng(0) });
    expect(fit.validationMode).toBe("direct");
    expect(fit.folds).toBeNull();
    expect(fit.validation[0].map((v) => +v.toFixed(12))).toEqual([0.65, 0.35]);
  });

  it("reports stacking's validation rows out of fold: with 3 folds on 3 images each row comes from the other two", () => {
    // With a huge L2 the meta-learner ignores the members and predicts its training labels' frequencies:
    // image 0 is predicted from images 1 and 2 (both class 1), image 1 from images 0 and 2 (half and half).
    const fit = fitCombiner("stacking", { members: [a, b], labels }, { ...options, l2: 1e6, rng: makeRng(0) });
    expect(fit.validationMode).toBe("out_of_fold");
    expect(new Set(fit.folds)).toEqual(new Set([0, 1, 2]));
    expect(fit.validation[0][1]).toBeGreaterThan(0.99);
    expect(fit.validation[1][0]).toBeCloseTo(0.5, 4);
    expect(fit.validation[2][0]).toBeCloseTo(0.5, 4);
    // The final meta-learner is refitted on all three: 1/3 of class 0.
    expect(applyCombiner(fit.model, [[[0.5, 0.5]], [[0.5, 0.5]]])[0][0]).toBeCloseTo(1 / 3, 4);
  });

  it("fits weighted soft voting on the other folds for each validation row and on all of them for the final weights", () => {
    const members = [
      [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4], [0.45, 0.55], [0.9, 0.1], [0.2, 0.8]],
      [[0.4, 0.6], [0.2, 0.8], [0.7, 0.3], [0.6, 0.4], [0.5, 0.5], [0.35, 0.65]],
    ];
    const y = [0, 1, 0, 1, 0, 1];
    const fit = fitCombiner("weighted_soft_vote", { members, labels: y }, { ...options, rng: makeRng(5) });
    const all = fitVoteWeights(members, y);
    expect(fit.model.kind === "weighted_soft_vote" && fit.model.weights).toEqual(all.weights);
    for (let f = 0; f < 3; f++) {
      const held = fit.folds!.flatMap((fold, i) => (fold === f ? [i] : []));
      const kept = fit.folds!.flatMap((fold, i) => (fold === f ? [] : [i]));
      const w = fitVoteWeights(members.map((m) => kept.map((i) => m[i])), kept.map((i) => y[i])).weights;
      for (const i of held) expect(fit.validation[i][0]).toBeCloseTo(w[0] * members[0][i][0] + w[1] * members[1][i][0], 12);
    }
  });

  it("gives the same fit for the same seed", () => {
    const run = () => fitCombiner("stacking", { members: [a, b], labels }, { ...options, rng: makeRng(9) });
    expect(run()).toEqual(run());
  });
});

describe("stackingFeatures", () => {
  it("puts the members' rows side by side, as logarithms floored at 1e-6", () => {
    const [row] = stackingFeatures([[[1, 0]], [[0.5, 0.5]]], "log_probabilities");
    expect(row.map((v) => +v.toFixed(6))).toEqual([0, +Math.log(1e-6).toFixed(6), +Math.log(0.5).toFixed(6), +Math.log(0.5).toFixed(6)]);
  });
});
