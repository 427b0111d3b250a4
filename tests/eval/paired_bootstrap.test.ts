import { describe, expect, it } from "vitest";
import { makeRng } from "../../src/core/seed.ts";
import { pairedBootstrapDifference } from "../../src/eval/paired_bootstrap.ts";

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
