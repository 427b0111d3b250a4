import { describe, expect, it } from "vitest";
import { makeRng } from "../../src/core/seed.ts";
import { mcnemarTest } from "../../src/eval/mcnemar_test.ts";
import { pairedBootstrapDifference } from "../../src/eval/paired_bootstrap.ts";
import { pairedSeedDifference, summarizeSeeds } from "../../src/eval/seed_statistics.ts";

/** Builds paired correctness arrays from the 2x2 counts (both, only first, only second, neither). */
function pairs(both: number, onlyFirst: number, onlySecond: number, neither: number): [boolean[], boolean[]] {
  const first = [...Array(both).fill(true), ...Array(onlyFirst).fill(true), ...Array(onlySecond).fill(false), ...Array(neither).fill(false)];
  const second = [...Array(both).fill(true), ...Array(onlyFirst).fill(false), ...Array(onlySecond).fill(true), ...Array(neither).fill(false)];
  return [first, second];
}

describe("mcnemarTest", () => {
  it("counts the 2x2 table and gives the exact p-value for few discordant images", () => {
    // b = 10, c = 2: P(X <= 2 | n = 12) = (1 + 12 + 66) / 4096, two-sided 158 / 4096
    const result = mcnemarTest(...pairs(50, 10, 2, 8));
    expect([result.bothCorrect, result.onlyFirst, result.onlySecond, result.bothWrong]).toEqual([50, 10, 2, 8]);
    expect(result.method).toBe("exact");
    expect(result.exactPValue).toBeCloseTo(158 / 4096, 12);
    expect(result.pValue).toBe(result.exactPValue);
    // (|10 - 2| - 1)^2 / 12 = 49 / 12
    expect(result.chiSquare).toBeCloseTo(49 / 12, 12);
  });

  it("uses the continuity-corrected chi-square from 25 discordant images on", () => {
    // b = 20, c = 10: (10 - 1)^2 / 30 = 2.7; P(chi2_1 > 2.7) = 0.10035
    const result = mcnemarTest(...pairs(60, 20, 10, 10));
    expect(result.method).toBe("chi_square");
    expect(result.chiSquare).toBeCloseTo(2.7, 12);
    expect(result.pValue).toBeCloseTo(0.100348, 5);
  });

  it("gives p = 1 when the classifiers agree on every image", () => {
    const result = mcnemarTest(...pairs(5, 0, 0, 3));
    expect(result.pValue).toBe(1);
    expect(result.chiSquare).toBe(0);
  });

  it("rejects predictions on different numbers of images", () => {
    expect(() => mcnemarTest([true], [true, false])).toThrow("found 1 and 2 predictions");
  });
});

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

describe("summarizeSeeds and pairedSeedDifference", () => {
  it("gives the mean, the sample SD and the t interval over seeds", () => {
    // values 0.6, 0.7, 0.8: mean 0.7, SD 0.1, t(2) = 4.303, half width 4.303 * 0.1 / sqrt(3)
    const s = summarizeSeeds([0.6, 0.7, 0.8]);
    expect(s.mean).toBeCloseTo(0.7, 12);
    expect(s.sd).toBeCloseTo(0.1, 12);
    expect(s.high - s.mean).toBeCloseTo(4.303 * 0.1 / Math.sqrt(3), 9);
  });

  it("has no spread for a single seed and nothing for none", () => {
    expect(summarizeSeeds([0.5])).toEqual({ count: 1, mean: 0.5, sd: 0, low: 0.5, high: 0.5 });
    expect(summarizeSeeds([]).count).toBe(0);
  });

  it("pairs by seed and calls a difference whose interval holds 0 within noise", () => {
    const noisy = pairedSeedDifference(new Map([[1, 0.7], [2, 0.6], [3, 0.8]]), new Map([[1, 0.65], [2, 0.7], [3, 0.7]]));
    // differences 0.05, -0.1, 0.1: mean 0.01666, interval holds 0
    expect(noisy.count).toBe(3);
    expect(noisy.mean).toBeCloseTo(0.05 / 3, 12);
    expect(noisy.verdict).toBe("within_noise");
    const clear = pairedSeedDifference(new Map([[1, 0.8], [2, 0.81], [3, 0.79]]), new Map([[1, 0.7], [2, 0.7], [3, 0.7]]));
    expect(clear.verdict).toBe("beyond_noise");
    expect(clear.low).toBeGreaterThan(0);
  });

  it("leaves out seeds only one setting has", () => {
    const d = pairedSeedDifference(new Map([[1, 0.8], [9, 0.1]]), new Map([[1, 0.7], [2, 0.9]]));
    expect(d.count).toBe(1);
  });

  it("gives no verdict below 3 shared seeds, even when the two differences agree exactly", () => {
    const d = pairedSeedDifference(new Map([[1, 0.317], [2, 0.381]]), new Map([[1, 0.301], [2, 0.365]]));
    expect(d.sd).toBeCloseTo(0, 12);
    expect(d.verdict).toBe("too_few_seeds");
  });
});
