import { describe, expect, it } from "vitest";
import { pairedSeedDifference, seedDifferenceText, seedGroupName, summarizeSeeds } from "../../src/eval/seed_statistics.ts";

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

describe("seedDifferenceText", () => {
  it("gives the signed mean with its t interval from 3 seeds, the count below, and nothing without a shared seed", () => {
    // Differences 0.02, 0.03, 0.00: mean 0.0167, half-width 4.303 * 0.0153 / sqrt(3) = 0.0379.
    const three = pairedSeedDifference(new Map([[1, 0.72], [2, 0.75], [3, 0.74]]), new Map([[1, 0.70], [2, 0.72], [3, 0.74]]));
    expect(seedDifferenceText(three)).toBe("+0.017 [-0.021, +0.055]");
    expect(seedDifferenceText(pairedSeedDifference(new Map([[1, 0.7]]), new Map([[1, 0.72]])))).toBe("-0.020 (1 seed)");
    expect(seedDifferenceText(pairedSeedDifference(new Map([[1, 0.7]]), new Map([[2, 0.72]])))).toBe("");
  });
});

describe("seedGroupName", () => {
  it("groups a sweep trial's seeds under its setting and leaves other names as they are", () => {
    expect(seedGroupName("distill_sweep-t002-seed3", 3)).toBe("distill_sweep-t002");
    expect(seedGroupName("distill_sweep-t002-seed3", 42)).toBe("distill_sweep-t002-seed3");
    expect(seedGroupName("distill_sweep-t002-seed31", 3)).toBe("distill_sweep-t002-seed31");
    expect(seedGroupName("noaug_4class_small", 2)).toBe("noaug_4class_small");
    expect(seedGroupName("-seed2", 2)).toBe("-seed2");
  });
});
