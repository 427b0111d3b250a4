import { describe, expect, it } from "vitest";
import { makeRng } from "../../src/core/seed.ts";
import { pairedBootstrapDifference, pairedBootstrapMeanDifference, pairedBootstrapMeanDifferences } from "../../src/eval/paired_bootstrap.ts";

/** Builds paired correctness arrays from the 2x2 counts (both, only first, only second, neither). */
function pairs(both: number, onlyFirst: number, onlySecond: number, neither: number): [boolean[], boolean[]] {
  const first = [...Array(both).fill(true), ...Array(onlyFirst).fill(true), ...Array(onlySecond).fill(false), ...Array(neither).fill(false)];
  const second = [...Array(both).fill(true), ...Array(onlyFirst).fill(false), ...Array(onlySecond).fill(true), ...Array(neither).fill(false)];
  return [first, second];
}

describe("pairedBootstrapDifference", () => {
  it("is the observed accuracy difference with an interval around it, reproducible from the seed", () => {
    const [first, second] = pairs(50, 10, 2, 8); // accuracies 60/70 and 52/70: difference 8/70
    const a = pairedBootstrapDifference(first, second, makeRng(5));
    const b = pairedBootstrapDifference(first, second, makeRng(5));
    expect(a.value).toBeCloseTo(8 / 70, 12);
    expect(a).toEqual(b);
    expect(a.low).toBeGreaterThan(0);
    expect(a.high).toBeLessThan(0.25);
    expect(a.method).toBe("bootstrap");
  });

  it("collapses to zero width when both classifiers agree on every image", () => {
    const [first, second] = pairs(4, 0, 0, 4);
    const ci = pairedBootstrapDifference(first, second, makeRng(1), { resamples: 200 });
    expect([ci.value, ci.low, ci.high]).toEqual([0, 0, 0]);
  });
});

describe("pairedBootstrapMeanDifference", () => {
  it("is the difference of mean per-image scores, with the width the normal approximation gives on many images", () => {
    // 400 images: on half the first scores 0.6 and the second 0.4 (severities right out of five), on half both 0.8.
    const first = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 0.6 : 0.8));
    const second = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 0.4 : 0.8));
    const ci = pairedBootstrapMeanDifference(first, second, makeRng(3));
    expect(ci.value).toBeCloseTo(0.1, 12);
    // Per-image differences 0.2 or 0 with equal weight: sd 0.1, standard error 0.1 / 20 = 0.005, 95% half-width 0.0098.
    expect(ci.low).toBeCloseTo(0.1 - 0.0098, 2);
    expect(ci.high).toBeCloseTo(0.1 + 0.0098, 2);
    expect(Math.abs(ci.high - ci.low - 2 * 0.0098)).toBeLessThan(0.003);
  });

  it("gives pairedBootstrapDifference's interval for right-or-wrong scores", () => {
    const [first, second] = pairs(50, 10, 2, 8);
    expect(pairedBootstrapMeanDifference(first.map(Number), second.map(Number), makeRng(5))).toEqual(pairedBootstrapDifference(first, second, makeRng(5)));
  });

  it("refuses score lists of different lengths", () => {
    expect(() => pairedBootstrapMeanDifference([1, 0], [1], makeRng(0))).toThrow(/same images/);
  });
});

describe("pairedBootstrapMeanDifferences", () => {
  it("gives each pair the interval it gets alone from the same generator state when it is the only pair, and shares resamples otherwise", () => {
    const a = { first: [1, 0.8, 0.6, 0, 0.4, 1], second: [1, 0.4, 0.6, 0, 0.2, 0.8] };
    const b = { first: [0, 1, 1, 0, 1, 1], second: [0, 0, 1, 0, 1, 0] };
    const [alone] = pairedBootstrapMeanDifferences([a], makeRng(9), { resamples: 300 });
    expect(alone).toEqual(pairedBootstrapMeanDifference(a.first, a.second, makeRng(9), { resamples: 300 }));
    const [first, second] = pairedBootstrapMeanDifferences([a, b], makeRng(9), { resamples: 300 });
    // The first pair draws from the same resamples whether or not a second pair rides along.
    expect(first).toEqual(alone);
    expect(second.value).toBeCloseTo(2 / 6, 12);
    expect(second.low).toBeGreaterThanOrEqual(0);
  });

  it("refuses pairs over different numbers of images", () => {
    expect(() => pairedBootstrapMeanDifferences([{ first: [1, 0], second: [1, 0] }, { first: [1], second: [0] }], makeRng(0))).toThrow(
      /found 1 and 1 predictions where other pairs have 2/,
    );
  });
});
