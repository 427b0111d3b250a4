import { beforeAll, describe, expect, it } from "vitest";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { readRunJson, type RunHandle, runPath } from "../../src/experiment/run_store.ts";
import { loadModel } from "../../src/experiment/model_files.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";
import { measureRobustness } from "../../src/robustness/measure_robustness.ts";
import { selectPerturbations } from "../../src/robustness/perturbation_suite.ts";
import { runRobustness } from "../../src/robustness/run_robustness.ts";
import { perImageScores, type RobustnessReport } from "../../src/robustness/robustness_report.ts";
import { main } from "../../src/cli.ts";
import { makeTinyRun, type TinyRun } from "./tiny_run.ts";

let tiny: TinyRun;
let report: RobustnessReport;
const CLASSES = ["happy", "sad", "surprise", "neutral"];
const ONLY = ["brightness_down", "eye_band", "crop_shift"];

beforeAll(async () => {
  tiny = await makeTinyRun("robust");
  report = await runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", perturbations: ONLY });
}, 120_000);

describe("runRobustness", () => {
  it("writes robustness.json with one result per perturbation and severity", async () => {
    const saved = await readRunJson<RobustnessReport>(tiny.run, "robustness");
    expect(saved?.results.map((r) => `${r.perturbation}:${r.severity}`)).toEqual(
      ONLY.flatMap((name) => [1, 2, 3, 4, 5].map((s) => `${name}:${s}`)),
    );
    expect(saved?.synthetic).toBe(true);
    expect(saved?.images).toBe(32);
    expect(saved?.perPerturbation.map((p) => p.perturbation)).toEqual(ONLY);
    expect(saved?.perFamily.map((f) => f.family)).toEqual(["lighting", "occlusion", "pose"]);
    expect(saved?.baseline).toBeNull();
  });

  it("keeps per-image results whose means are the report's accuracies, under a digest of the images", async () => {
    const saved = (await readRunJson<RobustnessReport>(tiny.run, "robustness"))!;
    const perImage = saved.perImage!;
    expect(perImage.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(perImage.clean).toMatch(/^[01]{32}$/);
    const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(perImageScores(perImage, "clean"))).toBeCloseTo(saved.clean.accuracy, 12);
    for (const p of saved.perPerturbation) {
      expect(perImage.perturbations[p.perturbation]).toMatch(/^[0-5]{32}$/);
      expect(mean(perImageScores(perImage, [p.perturbation]))).toBeCloseTo(p.meanAccuracy, 12);
    }
    expect(mean(perImageScores(perImage, ONLY))).toBeCloseTo(saved.meanCorruptionAccuracy, 12);
  });

  it("scores the clean split exactly as the run's own evaluation did", async () => {
    const metrics = await readRunJson<RunMetrics>(tiny.run, "metrics");
    expect(report.clean.accuracy).toBe(metrics?.validation.accuracy);
  });

  it("decodes an equalising run's faces without equalisation and equalises each perturbed one, so the clean score is the run's", async () => {
    const equalizing = await makeTinyRun("robust-equalized", { equalize: true });
    const measured = await runRobustness(equalizing.run, { cacheDir: null, projectRoot: ".", perturbations: ["brightness_down"] });
    const metrics = await readRunJson<RunMetrics>(equalizing.run, "metrics");
    expect(measured.clean.accuracy).toBe(metrics?.validation.accuracy);
    const raw = (await loadDataset(equalizing.dataRoot, { classes: CLASSES, decode: { size: 24 }, cacheDir: null, seed: 7 })).splits.validation;
    const model = await loadModel(runPath(equalizing.run, "model"));
    const byHand = await measureRobustness(model, raw, {
      classes: CLASSES,
      preprocessing: "scale_0_1",
      perturbations: selectPerturbations(["brightness_down"]),
      seed: 7,
      equalize: true,
    });
    model.dispose();
    expect(measured.results).toEqual(byHand.results);
  }, 120_000);

  it("writes the heatmap, curves, drop plots and the example sheet", async () => {
    const plots = await readdir(join(tiny.run.dir, "plots"));
    for (const name of ["robustness_heatmap.html", "robustness_curves.html", "robustness_drop.html", "robustness_examples.png"]) {
      expect(plots).toContain(name);
    }
    const png = await readFile(join(tiny.run.dir, "plots", "robustness_examples.png"));
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
  });

  it("reproduces the same accuracies from the same seed", async () => {
    const again = await runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", perturbations: ONLY });
    expect(again.results.map((r) => r.accuracy)).toEqual(report.results.map((r) => r.accuracy));
  });

  it("gives mCE 1 against itself as the baseline", async () => {
    const self = await runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", perturbations: ONLY, baseline: tiny.run });
    expect(self.baseline?.runId).toBe(tiny.run.id);
    expect(self.baseline?.mCE).toBeCloseTo(1, 12);
    for (const p of self.perPerturbation) expect(p.ce).toBeCloseTo(1, 12);
  });

  it("refuses a run without a model, saying what is missing", async () => {
    const copy: RunHandle = { id: `${tiny.run.id}-nomodel`, dir: `${tiny.run.dir}-nomodel` };
    await cp(tiny.run.dir, copy.dir, { recursive: true });
    await rm(join(copy.dir, "model"), { recursive: true });
    await expect(runRobustness(copy, { cacheDir: null, projectRoot: "." })).rejects.toThrow(/has no model/);
  });

  it("refuses a baseline without robustness.json and a split the dataset lacks", async () => {
    const other = { id: `${tiny.run.id}-copy`, dir: `${tiny.run.dir}-copy` };
    await cp(tiny.run.dir, other.dir, { recursive: true });
    await rm(join(other.dir, "robustness.json"));
    await expect(runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", baseline: other })).rejects.toThrow(
      /has no robustness.json; run deno task fer robustness/,
    );
    await expect(runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", split: "holdout" })).rejects.toThrow(ConfigError);
  });
});

describe("fer robustness", () => {
  it("runs from the CLI and prints the costliest perturbations", async () => {
    const out: string[] = [];
    const code = await main(["robustness", tiny.run.id, "--only", "contrast", "--limit", "16", "--no-images", "--backend", "wasm"], {
      out: (t) => out.push(t),
      err: () => {},
      env: { FER_RESULTS: tiny.resultsRoot },
    });
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/costliest: contrast -/);
    expect(out.join("")).toContain("16 images");
  });

  it("names an unknown perturbation and a bad --limit", async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t), env: { FER_RESULTS: tiny.resultsRoot } };
    expect(await main(["robustness", tiny.run.id, "--only", "fog", "--backend", "wasm"], io)).toBe(1);
    expect(err.join("")).toContain('Unknown perturbation "fog"');
    expect(await main(["robustness", tiny.run.id, "--limit", "0"], io)).toBe(1);
    expect(err.join("")).toContain('Option --limit is "0"');
  });

  it("fer compare puts the run's robustness beside the others", async () => {
    const out: string[] = [];
    const code = await main(["compare", tiny.run.id, "--no-images", "--out", join(tiny.resultsRoot, "cmp")], {
      out: (t) => out.push(t),
      err: () => {},
      env: { FER_RESULTS: tiny.resultsRoot },
    });
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/Robustness \(deno task fer robustness\):[\s\S]*relative robustness/);
    expect(await readFile(join(tiny.resultsRoot, "cmp", "comparison.md"), "utf8")).toContain("## Robustness");
    expect(out.join("")).toContain(`Wrote ${join(tiny.resultsRoot, "cmp", "comparison.{csv,md,html}")} and robustness.html\n`);
  });

  it("fer compare adds a per-perturbation table for runs measured on the same images", async () => {
    const other = await makeTinyRun("robust-other", { equalize: true });
    const copy = join(tiny.resultsRoot, "runs", other.run.id);
    await cp(other.run.dir, copy, { recursive: true });
    const io = { out: () => {}, err: () => {}, env: { FER_RESULTS: tiny.resultsRoot } };
    for (const id of [tiny.run.id, other.run.id]) {
      expect(await main(["robustness", id, "--only", "contrast,eye_band", "--limit", "16", "--no-images", "--backend", "wasm"], io)).toBe(0);
    }
    const out: string[] = [];
    const code = await main(["compare", tiny.run.id, other.run.id, "--no-images", "--out", join(tiny.resultsRoot, "cmp2")], { ...io, out: (t) => out.push(t) });
    expect(code).toBe(0);
    expect(out.join("")).toContain(
      `Robustness per perturbation (mean of severities 1-5; each run minus ${tiny.run.id}, with its paired bootstrap 95% interval over the images):`,
    );
    expect(out.join("")).toMatch(/\n {2}contrast +lighting +\d\.\d{3} +\d\.\d{3} +[+-]\d\.\d{3} \[[+-]\d\.\d{3}, [+-]\d\.\d{3}\]\n/);
    // A report written before per-image results: the differences alone, and how to get intervals.
    const reportPath = join(copy, "robustness.json");
    const { perImage: _dropped, ...withoutPerImage } = JSON.parse(await readFile(reportPath, "utf8"));
    await writeFile(reportPath, JSON.stringify(withoutPerImage));
    const older: string[] = [];
    expect(await main(["compare", tiny.run.id, other.run.id, "--no-images", "--out", join(tiny.resultsRoot, "cmp4")], { ...io, out: (t) => older.push(t) })).toBe(0);
    expect(older.join("")).toMatch(/\n {2}contrast +lighting +\d\.\d{3} +\d\.\d{3} +[+-]\d\.\d{3}\n/);
    expect(older.join("")).toContain(`(no intervals: ${other.run.id} kept no per-image results; rerun deno task fer robustness on it for paired intervals)`);
    expect(await readFile(join(tiny.resultsRoot, "cmp2", "comparison.md"), "utf8")).toContain("### Robustness per perturbation");
    // Suites on different images are not put side by side per perturbation, and the output says why.
    expect(await main(["robustness", other.run.id, "--only", "contrast", "--limit", "8", "--no-images", "--backend", "wasm"], io)).toBe(0);
    const again: string[] = [];
    expect(await main(["compare", tiny.run.id, other.run.id, "--no-images", "--out", join(tiny.resultsRoot, "cmp3")], { ...io, out: (t) => again.push(t) })).toBe(0);
    expect(again.join("")).not.toContain("Robustness per perturbation");
    expect(again.join("")).toMatch(
      /No per-perturbation table: the runs' suites saw different images or perturbation draws \(\w{6}: validation, 16 images, suite seed \d+; \w{6}: validation, 8 images, suite seed \d+\); rerun fer robustness with the same --split, --limit and --seed/,
    );
  }, 120_000);

  it("fer compare adds a table across training seeds for configs run with the same seeds", async () => {
    // Four copies of the measured run: config "plain" and a sweep's setting "tweak-t001" at training seeds 1 and 2, each
    // seed's suite its own; the sweep names its trials tweak-t001-seed1 and tweak-t001-seed2, and they form one row.
    const root = join(tiny.resultsRoot, "..", "seed-results");
    const saved = JSON.parse(await readFile(join(tiny.run.dir, "robustness.json"), "utf8")) as RobustnessReport;
    const ids: string[] = [];
    for (const [name, seed, gain] of [["plain", 1, 0], ["plain", 2, 0], ["tweak-t001-seed1", 1, 0.1], ["tweak-t001-seed2", 2, 0.2]] as const) {
      const id = `20261204-01000${ids.length}-${name}-${String(seed).repeat(6)}`;
      const dir = join(root, "runs", id);
      await cp(tiny.run.dir, dir, { recursive: true });
      const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
      await writeFile(join(dir, "manifest.json"), JSON.stringify({ ...manifest, id, name, seed }));
      const config = JSON.parse(await readFile(join(dir, "config.json"), "utf8"));
      await writeFile(join(dir, "config.json"), JSON.stringify({ ...config, name, seed }));
      const perPerturbation = saved.perPerturbation.map((p) => ({ ...p, meanAccuracy: p.meanAccuracy + gain }));
      await writeFile(join(dir, "robustness.json"), JSON.stringify({ ...saved, runId: id, seed, perPerturbation }));
      ids.push(id);
    }
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: () => {}, env: { FER_RESULTS: root } };
    expect(await main(["compare", ...ids, "--no-images", "--out", join(root, "cmp")], io)).toBe(0);
    const text = out.join("");
    expect(text).toContain("Robustness across training seeds 1, 2 (mean of severities 1-5; each config minus plain, paired by seed, with a 95% t interval over the seeds):");
    expect(text).toMatch(/\n {2}eye_band +occlusion +\d\.\d{3} +\d\.\d{3} +\+0\.150 \(2 seeds\)\n/);
    expect(text).toContain("tweak-t001 (mean of 2 seeds)");
    // The suites of seeds 1 and 2 drew different perturbations: no table pairs them image by image, and nothing says it is missing.
    expect(text).not.toContain("Robustness per perturbation");
    expect(text).not.toContain("No per-perturbation table");
    expect(await readFile(join(root, "cmp", "comparison.md"), "utf8")).toContain("### Robustness across training seeds 1, 2");
    // Accuracy across the same seeds (the copies share their scores, so the differences are zero).
    expect(text).toContain("Accuracy across training seeds 1, 2 (each config's mean over its seeds; its difference from plain paired by seed");
    expect(text).toMatch(/\n {2}tweak-t001 +1, 2 +\d\.\d{3} \[[^\n]*\+0\.000 \(2 seeds\) +\+0\.000 \(2 seeds\)\n/);
    expect(await readFile(join(root, "cmp", "comparison.md"), "utf8")).toContain("## Accuracy across training seeds 1, 2");
  }, 120_000);

  it("says so when the run's own scores average test-time augmentation views, and scores one view", async () => {
    const configPath = join(tiny.run.dir, "config.json");
    const saved = await readFile(configPath, "utf8");
    const lines: string[] = [];
    try {
      await writeFile(configPath, JSON.stringify({ ...JSON.parse(saved), tta: { horizontalFlip: true, shifts: [], crops: null } }));
      const oneView = await runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", perturbations: ["brightness_down"], log: (line) => lines.push(line) });
      expect(oneView.clean.accuracy).toBe(report.clean.accuracy);
    } finally {
      await writeFile(configPath, saved);
      await writeFile(join(tiny.run.dir, "robustness.json"), JSON.stringify(report));
    }
    expect(lines.join("\n")).toContain("Each image is scored on one view: the run's test-time augmentation (flip, 2 views) is not applied here");
  });

  it("documents the suite in --help", async () => {
    const out: string[] = [];
    expect(await main(["robustness", "--help"], { out: (t) => out.push(t), err: () => {} })).toBe(0);
    expect(out.join("")).toContain("hand_over_mouth");
  });
});
