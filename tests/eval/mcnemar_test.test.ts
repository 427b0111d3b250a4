import { describe, expect, it } from "vitest";
import { mcnemarTest } from "../../src/eval/mcnemar_test.ts";

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
