import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { wilsonInterval } from "../../src/eval/confidence_interval.ts";
import { robustnessPerturbationTable } from "../../src/robustness/robustness_comparison.ts";
import { type RobustnessReport, type RobustnessResult, summariseRobustness } from "../../src/robustness/robustness_report.ts";

const score = (accuracy: number) => ({ accuracy, accuracyInterval: wilsonInterval(Math.round(accuracy * 100), 100), macroF1: accuracy });

/** A report from hand-picked accuracies: gaussian_noise (quality) and eye_band (occlusion), severities 1-5. */
function report(runId: string, clean: number, noise: number[], eye: number[], images = 100): RobustnessReport {
  const results: RobustnessResult[] = [
    ...noise.map((a, i) => ({ perturbation: "gaussian_noise", family: "quality" as const, severity: i + 1, ...score(a) })),
    ...eye.map((a, i) => ({ perturbation: "eye_band", family: "occlusion" as const, severity: i + 1, ...score(a) })),
  ];
  return {
    runId,
    root: "data",
    fingerprint: "f",
    synthetic: false,
    split: "validation",
    images,
    classes: ["happy", "sad"],
    seed: 42,
    backend: "cpu",
    suite: [],
    clean: score(clean),
    results,
    ...summariseRobustness(score(clean), results, null, "validation"),
    seconds: 1,
    perturbSeconds: 0,
    predictSeconds: 1,
    predictions: 1,
    createdAt: "2026-12-03T00:00:00Z",
  };
}

describe("robustnessPerturbationTable", () => {
  const plain = report("20261203-212102-plain-aaaaaa", 0.7, [0.4, 0.3, 0.3, 0.2, 0.3], [0.6, 0.6, 0.6, 0.6, 0.6]);
  const noisy = report("20261203-222102-noisy-bbbbbb", 0.68, [0.6, 0.6, 0.5, 0.5, 0.3], [0.6, 0.5, 0.6, 0.5, 0.55]);

  it("gives each run's mean over severities per perturbation, family and overall, and the difference from the first", () => {
    const { headers, cells } = robustnessPerturbationTable([plain, noisy]);
    expect(headers).toEqual(["perturbation", "family", "plain-aaaaaa", "noisy-bbbbbb", "noisy-bbbbbb - first"]);
    expect(cells).toEqual([
      ["clean", "", "0.700", "0.680", "-0.020"],
      // noise: (0.4 + 0.3 + 0.3 + 0.2 + 0.3) / 5 = 0.3 against (0.6 + 0.6 + 0.5 + 0.5 + 0.3) / 5 = 0.5
      ["gaussian_noise", "quality", "0.300", "0.500", "+0.200"],
      // eye band: 0.6 against (0.6 + 0.5 + 0.6 + 0.5 + 0.55) / 5 = 0.55
      ["eye_band", "occlusion", "0.600", "0.550", "-0.050"],
      ["quality (mean)", "quality", "0.300", "0.500", "+0.200"],
      ["occlusion (mean)", "occlusion", "0.600", "0.550", "-0.050"],
      ["all perturbations (mean)", "", "0.450", "0.525", "+0.075"],
    ]);
  });

  it("refuses runs measured on different images, saying how to compare them", () => {
    const subset = report("20261203-232102-subset-cccccc", 0.7, [0.4, 0.3, 0.3, 0.2, 0.3], [0.6, 0.6, 0.6, 0.6, 0.6], 64);
    expect(() => robustnessPerturbationTable([plain, subset])).toThrow(ConfigError);
    expect(() => robustnessPerturbationTable([plain, subset])).toThrow(/measured on validation \(64 images\).*same --split and --limit/);
  });
});
