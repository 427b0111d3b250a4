import { describe, expect, it } from "vitest";
import { splitStratified } from "../../src/data/split_stratified.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";

/** 100 images of class 0, 40 of class 1 and 20 of class 2, interleaved. */
function labels(): number[] {
  const out: number[] = [];
  for (let i = 0; i < 100; i++) out.push(0);
  for (let i = 0; i < 40; i++) out.splice(i * 3 + 1, 0, 1);
  for (let i = 0; i < 20; i++) out.push(2);
  return out;
}

function perClass(all: number[], indices: number[]): number[] {
  const counts = [0, 0, 0];
  for (const i of indices) counts[all[i]]++;
  return counts;
}

describe("splitStratified", () => {
  it("holds out round(fraction * n) images of each class", () => {
    const all = labels();
    const { trainIndices, validationIndices } = splitStratified(all, 0.25, makeRng(1));
    expect(perClass(all, validationIndices)).toEqual([25, 10, 5]);
    expect(perClass(all, trainIndices)).toEqual([75, 30, 15]);
  });

  it("returns disjoint ascending lists that together cover every position", () => {
    const all = labels();
    const { trainIndices, validationIndices } = splitStratified(all, 0.15, makeRng(2));
    const union = [...trainIndices, ...validationIndices].sort((a, b) => a - b);
    expect(union).toEqual(all.map((_, i) => i));
    expect(trainIndices).toEqual([...trainIndices].sort((a, b) => a - b));
    expect(validationIndices).toEqual([...validationIndices].sort((a, b) => a - b));
  });

  it("gives the same split for the same seed", () => {
    const all = labels();
    expect(splitStratified(all, 0.2, makeRng(7))).toEqual(splitStratified(all, 0.2, makeRng(7)));
  });

  it("gives a different split for a different seed", () => {
    const all = labels();
    expect(splitStratified(all, 0.2, makeRng(7)).validationIndices)
      .not.toEqual(splitStratified(all, 0.2, makeRng(8)).validationIndices);
  });

  it("puts at least one image of a two-image class in validation", () => {
    const { validationIndices, trainIndices } = splitStratified([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.1, makeRng(3));
    expect(validationIndices.filter((i) => i < 2)).toHaveLength(1);
    expect(trainIndices.filter((i) => i < 2)).toHaveLength(1);
  });

  it("keeps at least one image of each class in training at a large fraction", () => {
    const { trainIndices } = splitStratified([0, 0, 0, 1, 1], 0.99, makeRng(3));
    expect(trainIndices.map((i) => (i < 3 ? 0 : 1)).sort()).toEqual([0, 1]);
  });

  it("keeps a single-image class in training", () => {
    const { trainIndices, validationIndices } = splitStratified([0, 1, 1, 1], 0.5, makeRng(4));
    expect(trainIndices).toContain(0);
    expect(validationIndices).not.toContain(0);
  });

  it("rejects a fraction outside (0, 1) with a ConfigError", () => {
    expect(() => splitStratified([0, 1], 1, makeRng(0))).toThrow(ConfigError);
    expect(() => splitStratified([0, 1], 0, makeRng(0))).toThrow("Validation fraction 0 is not between 0 and 1");
  });
});
