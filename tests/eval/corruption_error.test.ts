import { describe, expect, it } from "vitest";
import { corruptionError, corruptionErrorSummary, relativeCorruptionError } from "../../src/eval/corruption_error.ts";

describe("corruption error", () => {
  it("divides the summed errors by the baseline's (hand-computed: 0.9 / 1.5 = 0.6)", () => {
    expect(corruptionError([0.1, 0.2, 0.6], [0.3, 0.5, 0.7])).toBeCloseTo(0.6, 12);
  });

  it("relative CE compares the degradation from clean (hand-computed: (0.1 + 0.3) / (0.2 + 0.6) = 0.5)", () => {
    expect(relativeCorruptionError([0.3, 0.5], 0.2, [0.5, 0.9], 0.3)).toBeCloseTo(0.5, 12);
  });

  it("relative CE is null when the baseline loses nothing", () => {
    expect(relativeCorruptionError([0.3], 0.2, [0.3], 0.3)).toBeNull();
  });

  it("mCE averages over the corruptions both models have", () => {
    const summary = corruptionErrorSummary(
      { cleanError: 0.1, errors: { noise: [0.2, 0.4], blur: [0.1, 0.1], only_model: [1, 1] } },
      { cleanError: 0.1, errors: { noise: [0.3, 0.3], blur: [0.1, 0.1] } },
    );
    expect(Object.keys(summary.perCorruption)).toEqual(["noise", "blur"]);
    expect(summary.perCorruption.noise.ce).toBeCloseTo(1, 12);
    expect(summary.mCE).toBeCloseTo(1, 12);
    // noise: (0.1 + 0.3) / (0.2 + 0.2) = 1; blur: baseline loses nothing, so it is left out.
    expect(summary.perCorruption.blur.relativeCe).toBeNull();
    expect(summary.relativeMCE).toBeCloseTo(1, 12);
  });
});
