import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { wilsonInterval } from "../../src/eval/confidence_interval.ts";
import { measuredOnSameImages, newestCompletedRuns, robustnessPerturbationTable, robustnessSeedTable } from "../../src/robustness/robustness_comparison.ts";
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
    expect(() => robustnessPerturbationTable([plain, subset])).toThrow(/measured on validation \(64 images, suite seed 42\).*same dataset, --split, --limit and --seed/);
  });
});

/** A report of 10 images from per-image digits: clean (0/1), gaussian_noise and eye_band (severities right, 0-5). */
function perImageReport(runId: string, clean: string, noise: string, eye: string, digest = "0123456789abcdef"): RobustnessReport {
  const mean = (digits: string, scale: number) => [...digits].reduce((sum, d) => sum + Number(d) / scale, 0) / digits.length;
  const base = report(runId, mean(clean, 1), Array(5).fill(mean(noise, 5)), Array(5).fill(mean(eye, 5)), clean.length);
  return { ...base, perImage: { digest, clean, perturbations: { gaussian_noise: noise, eye_band: eye } } };
}

describe("robustnessPerturbationTable with per-image results", () => {
  const first = perImageReport("20261204-010101-first-aaaaaa", "1111100000", "1111111111", "5555500000");
  const second = perImageReport("20261204-020202-second-bbbbbb", "1111110000", "3333333333", "5555500000");

  it("gives each difference a paired bootstrap interval over the images", () => {
    const { cells, paired, unpaired } = robustnessPerturbationTable([first, second]);
    expect(paired).toBe(true);
    expect(unpaired).toBeUndefined();
    const byName = Object.fromEntries(cells.map((row) => [row[0], row]));
    // Every image gains two severities of five under noise: +0.4 on each resample.
    expect(byName.gaussian_noise.slice(2)).toEqual(["0.200", "0.600", "+0.400 [+0.400, +0.400]"]);
    expect(byName["quality (mean)"][4]).toBe("+0.400 [+0.400, +0.400]");
    expect(byName.eye_band[4]).toBe("+0.000 [+0.000, +0.000]");
    // The overall mean averages noise and eye band per image: +0.2 on every image.
    expect(byName["all perturbations (mean)"].slice(2)).toEqual(["0.350", "0.550", "+0.200 [+0.200, +0.200]"]);
    // One image of ten flips to right: +0.1, an interval from resamples that miss it (0) to ones that draw it several times.
    const [, low, high] = byName.clean[4].match(/^\+0\.100 \[([+-]\d\.\d{3}), ([+-]\d\.\d{3})\]$/)!.map(Number);
    expect(low).toBe(0);
    expect(high).toBeGreaterThanOrEqual(0.2);
    expect(high).toBeLessThanOrEqual(0.4);
  });

  it("gives the differences alone when a report kept no per-image results", () => {
    const { perImage: _dropped, ...older } = second;
    const { cells, paired } = robustnessPerturbationTable([first, older]);
    expect(paired).toBe(false);
    expect(cells.find((row) => row[0] === "gaussian_noise")![4]).toBe("+0.400");
    expect(robustnessPerturbationTable([first, older]).unpaired).toBe(
      "20261204-020202-second-bbbbbb kept no per-image results; rerun deno task fer robustness on it for paired intervals",
    );
  });

  it("gives the differences alone, and says why, when the suites ran other perturbations", () => {
    const noiseOnly = perImageReport("20261204-040404-noise-dddddd", "1111110000", "3333333333", "5555500000");
    const fewer = { ...noiseOnly, perPerturbation: noiseOnly.perPerturbation.filter((p) => p.perturbation === "gaussian_noise") };
    const table = robustnessPerturbationTable([first, fewer]);
    expect(table.paired).toBe(false);
    expect(table.unpaired).toMatch(/^20261204-040404-noise-dddddd ran other perturbations than 20261204-010101-first-aaaaaa; rerun with the same --only/);
    expect(table.cells.find((row) => row[0] === "gaussian_noise")![4]).toBe("+0.400");
  });

  it("refuses reports of the same split and count but other images, naming their digests", () => {
    const elsewhere = perImageReport("20261204-030303-other-cccccc", "1111110000", "3333333333", "5555500000", "fedcba9876543210");
    expect(() => robustnessPerturbationTable([first, elsewhere])).toThrow(ConfigError);
    expect(() => robustnessPerturbationTable([first, elsewhere])).toThrow(/images fedcba9876543210, suite seed 42\).*images 0123456789abcdef, suite seed 42\)/);
    expect(measuredOnSameImages([first, elsewhere])).toBe(false);
    expect(measuredOnSameImages([first, second])).toBe(true);
  });

  it("refuses reports of the same images perturbed with another suite seed", () => {
    const reseeded = { ...second, seed: 7 };
    expect(measuredOnSameImages([first, reseeded])).toBe(false);
    expect(() => robustnessPerturbationTable([first, reseeded])).toThrow(/suite seed 7\).*suite seed 42\);.*--seed/);
  });
});

describe("robustnessSeedTable", () => {
  // Reference and change at training seeds 1-3; the change gains 0.2, 0.1 and 0.3 on noise (mean 0.2, sd 0.1).
  const at = (name: string, seed: number, noise: number, images = 100) => ({
    name,
    trainingSeed: seed,
    report: { ...report(`20261204-00000${seed}-${name}-abcdef`, 0.7, Array(5).fill(noise), Array(5).fill(0.6), images), seed },
  });
  const runs = [at("plain", 1, 0.3), at("plain", 2, 0.3), at("plain", 3, 0.4), at("noisy", 1, 0.5), at("noisy", 2, 0.4), at("noisy", 3, 0.7)];

  it("gives each config's mean over seeds and its difference from the first, paired by seed with a t interval", () => {
    const { headers, cells, seeds } = robustnessSeedTable(runs);
    expect(seeds).toEqual([1, 2, 3]);
    expect(headers).toEqual(["perturbation", "family", "plain (mean of 3 seeds)", "noisy (mean of 3 seeds)", "noisy - plain"]);
    const noise = cells.find((row) => row[0] === "gaussian_noise")!;
    // half-width t(0.975, 2) * sd / sqrt(3) = 4.303 * 0.1 / 1.732 = 0.248
    expect(noise).toEqual(["gaussian_noise", "quality", "0.333", "0.533", "+0.200 [-0.048, +0.448]"]);
    expect(cells.find((row) => row[0] === "eye_band")![4]).toBe("+0.000 [+0.000, +0.000]");
    expect(cells.find((row) => row[0] === "all perturbations (mean)")![4]).toBe("+0.100 [-0.024, +0.224]");
  });

  it("gives the mean difference and the seed count below three shared seeds", () => {
    const { cells } = robustnessSeedTable(runs.filter((r) => r.trainingSeed !== 3));
    expect(cells.find((row) => row[0] === "gaussian_noise")![4]).toBe("+0.150 (2 seeds)");
  });

  it("refuses runs of one seed measured on other images, and two runs of one config and seed", () => {
    const mismatched = [...runs.slice(0, 5), at("noisy", 3, 0.7, 64)];
    expect(() => robustnessSeedTable(mismatched)).toThrow(ConfigError);
    expect(() => robustnessSeedTable(mismatched)).toThrow(/training seed 3 were measured on different images.*same --split, --limit and --seed/);
    expect(() => robustnessSeedTable([...runs, at("noisy", 3, 0.6)])).toThrow(/noisy has two runs with training seed 3/);
  });
});

describe("newestCompletedRuns", () => {
  it("gives the newest completed run of each name, or of each name and training seed, in the order of the names", async () => {
    const resultsRoot = await mkdtemp(join(tmpdir(), "fer-newest-runs-"));
    const ids: Record<string, string> = {};
    const runs: [string, string, number, string][] = [
      ["20261204-010000-plain-000001", "plain", 2, "completed"],
      ["20261204-020000-plain-000002", "plain", 42, "completed"],
      ["20261204-030000-noisy-000003", "noisy", 2, "completed"],
      ["20261204-040000-plain-000004", "plain", 2, "completed"],
      ["20261204-050000-plain-000005", "plain", 3, "interrupted"],
      ["20261204-060000-other-000006", "other", 2, "completed"],
    ];
    for (const [id, name, seed, status] of runs) {
      await mkdir(join(resultsRoot, "runs", id), { recursive: true });
      await writeFile(join(resultsRoot, "runs", id, "config.json"), JSON.stringify({ name, seed }));
      await writeFile(join(resultsRoot, "runs", id, "manifest.json"), JSON.stringify({ name, seed, status }));
      ids[id.slice(-6)] = id;
    }
    expect(await newestCompletedRuns(resultsRoot, ["noisy", "plain"])).toEqual([ids["000003"], ids["000004"]]);
    expect(await newestCompletedRuns(resultsRoot, ["plain", "noisy", "missing"], { perSeed: true })).toEqual([ids["000004"], ids["000002"], ids["000003"]]);
  });
});
