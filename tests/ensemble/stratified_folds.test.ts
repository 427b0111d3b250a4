import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { stratifiedFolds } from "../../src/ensemble/stratified_folds.ts";
import { makeRng } from "../../src/core/seed.ts";

describe("stratifiedFolds", () => {
  it("gives every fold the same share of each class", () => {
    const labels = [...Array(10).fill(0), ...Array(5).fill(1)];
    const folds = stratifiedFolds(labels, 5, makeRng(1));
    for (let f = 0; f < 5; f++) {
      const members = labels.filter((_, i) => folds[i] === f);
      expect(members.filter((y) => y === 0)).toHaveLength(2);
      expect(members.filter((y) => y === 1)).toHaveLength(1);
    }
  });

  it("keeps fold sizes within one of each other when classes do not divide evenly", () => {
    const folds = stratifiedFolds([0, 0, 1, 1, 2, 2, 2], 3, makeRng(0));
    const sizes = [0, 1, 2].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("gives the same folds for the same seed and other folds for another", () => {
    const labels = Array.from({ length: 40 }, (_, i) => i % 4);
    expect(stratifiedFolds(labels, 5, makeRng(3))).toEqual(stratifiedFolds(labels, 5, makeRng(3)));
    expect(stratifiedFolds(labels, 5, makeRng(3))).not.toEqual(stratifiedFolds(labels, 5, makeRng(4)));
  });

  it("refuses more folds than images", () => {
    expect(() => stratifiedFolds([0, 1], 3, makeRng(0))).toThrow(ConfigError);
    expect(() => stratifiedFolds([0, 1], 3, makeRng(0))).toThrow("Cross-validation folds 3 is not a whole number in [2, 2]");
  });
});
