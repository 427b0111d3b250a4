import { beforeAll, describe, expect, it } from "vitest";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { readRunJson, writeRunJson } from "../../src/experiment/run_store.ts";
import { writeModelCard } from "../../src/card/write_model_card.ts";
import { runRobustness } from "../../src/robustness/run_robustness.ts";
import { main } from "../../src/cli.ts";
import { makeTinyRun, type TinyRun } from "../robustness/tiny_run.ts";
import { fakeDatasetEvaluation, tempDir, TWO_PREDICTIONS, writeFakeRun } from "../notebook/notebook_fixtures.ts";
import { saveDatasetEvaluation } from "../../src/experiment/save_dataset_evaluation.ts";
import type { SplitMetrics } from "../../src/eval/evaluate_predictions.ts";

let tiny: TinyRun;

beforeAll(async () => {
  tiny = await makeTinyRun("carded");
}, 120_000);

describe("writeModelCard", () => {
  it("writes the toolkit's fields and numbers read from metrics.json", async () => {
    const { card } = await writeModelCard(tiny.run, { resultsRoot: tiny.resultsRoot });
    const json = JSON.parse(await readFile(join(tiny.run.dir, "model_card.json"), "utf8"));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["model_details", "model_parameters", "quantitative_analysis", "considerations"]));
    const metrics = await readRunJson<RunMetrics>(tiny.run, "metrics");
    const accuracy = card.quantitative_analysis.performance_metrics.find((m) => m.type.startsWith("accuracy") && m.slice.startsWith("validation"));
    expect(accuracy?.value).toBe(metrics!.validation.accuracy.toFixed(3));
    expect(accuracy?.confidence_interval?.lower_bound).toBe(metrics!.validation.accuracyInterval.low.toFixed(3));
  });

  it("says plainly what was not measured and labels synthetic data", async () => {
    await rm(join(tiny.run.dir, "robustness.json"), { force: true });
    const { card } = await writeModelCard(tiny.run, { resultsRoot: tiny.resultsRoot });
    const md = await readFile(join(tiny.run.dir, "MODEL_CARD.md"), "utf8");
    expect(md).toContain("SYNTHETIC");
    expect(md).toContain("Robustness to lighting, image quality, occlusion and pose was not measured");
    expect(card.sources.missing.some((m) => m.startsWith("fairness.json"))).toBe(true);
    expect(md).toContain("## Out-of-scope uses");
    expect(md).toMatch(/not inner emotional states/);
  });

  it("adds the robustness summary once robustness.json exists", async () => {
    const report = await runRobustness(tiny.run, { cacheDir: null, projectRoot: ".", perturbations: ["contrast"] });
    const { card } = await writeModelCard(tiny.run, { resultsRoot: tiny.resultsRoot });
    const mean = card.quantitative_analysis.performance_metrics.find((m) => m.type.startsWith("mean accuracy under perturbations (1 perturbations"));
    expect(mean?.value).toBe(report.meanCorruptionAccuracy.toFixed(3));
    expect(card.considerations.limitations.some((l) => l.description.includes("the costliest: contrast"))).toBe(true);
  });

  it("works from the CLI and names a missing datasheet file", async () => {
    const env = { FER_RESULTS: tiny.resultsRoot };
    const out: string[] = [];
    expect(await main(["card", tiny.run.id], { out: (t) => out.push(t), err: () => {}, env })).toBe(0);
    expect(out.join("")).toContain("MODEL_CARD.md");
    const err: string[] = [];
    expect(await main(["card", tiny.run.id, "--datasheet", "/nonexistent/datasheet.json"], { out: () => {}, err: (t) => err.push(t), env })).toBe(1);
    expect(err.join("")).toContain("Cannot read the datasheet /nonexistent/datasheet.json");
  });
});

describe("buildModelCard", () => {
  it("says a packaged pretrained model was not trained on the dataset", async () => {
    const { buildModelCard } = await import("../../src/card/model_card.ts");
    const card = buildModelCard({
      runId: "r",
      runDir: "/runs/r",
      config: {
        name: "baseline",
        seed: 1,
        notes: "Evaluated as it is",
        dataset: { classes: ["happy", "sad"], size: 48, channels: 1, preprocessing: "scale_0_1" },
        model: { family: "transfer", backbone: "face_api_expression", mode: "pretrained" },
        training: { epochs: 1, batchSize: 32, optimizer: { name: "adam" } },
      },
      manifest: {
        status: "completed",
        code: { commit: null, dirty: false },
        backend: { name: "wasm" },
        dataset: { root: "/data/x", fingerprint: "ab".repeat(32), synthetic: false, counts: { train: 10, validation: 4 } },
        startedAt: "2026-12-02T00:00:00Z",
        finishedAt: null,
      },
      parameters: 100,
      plots: [],
    });
    expect(card.model_details.overview).toContain("packaged pretrained and evaluated as it is: not trained here");
    expect(card.model_details.overview).toContain("Config notes: Evaluated as it is");
    expect(card.model_parameters.data[0].name).toContain("train (10 images): not used");
    expect(card.considerations.limitations[0].description).toContain("has no metrics.json");
  });

  it("names the run a fine-tuned model started from, and that run's training images as data it learned from", async () => {
    const { buildModelCard } = await import("../../src/card/model_card.ts");
    const manifest = {
      status: "completed",
      code: { commit: null, dirty: false },
      backend: { name: "tensorflow" },
      dataset: { root: "/data/four", fingerprint: "cd".repeat(32), synthetic: false, counts: { train: 10, validation: 4 } },
      startedAt: "2026-12-03T00:00:00Z",
      finishedAt: null,
    };
    const facts = (initFrom?: { run: string; name: string; classifier: string }) => ({
      runId: "r",
      runDir: "/runs/r",
      config: {
        name: "finetune",
        seed: 1,
        dataset: { classes: ["happy", "sad"], size: 48, channels: 1, preprocessing: "scale_0_1" },
        model: { family: "small_cnn" },
        training: { epochs: 1, batchSize: 32, optimizer: { name: "adam" } },
      },
      manifest: { ...manifest, initFrom },
      parameters: 100,
      plots: [],
    });
    const card = buildModelCard(facts({ run: "20261203-1-pretrain-abc", name: "pretrain", classifier: "shared_columns" }));
    expect(card.model_parameters.model_architecture).toContain("started from the weights of run 20261203-1-pretrain-abc (pretrain; classifier shared columns)");
    expect(card.model_parameters.data[0].name).toBe("pretraining: the training images of run 20261203-1-pretrain-abc (pretrain)");
    expect(card.model_parameters.data[0].sensitive.sensitive_data[0]).toContain("Faces of real people");
    expect(card.model_parameters.data[1].name).toBe("train (10 images)");
    const plain = buildModelCard(facts());
    expect(plain.model_parameters.model_architecture).not.toContain("started from");
    expect(plain.model_parameters.data.map((d) => d.name)).toEqual(["train (10 images)", "validation (4 images)"]);
  });

  it("says in the input format when the reported figures average TTA views, and when faces are equalised", async () => {
    const { buildModelCard } = await import("../../src/card/model_card.ts");
    const facts = (tta: unknown, equalize = false) => ({
      runId: "r",
      runDir: "/runs/r",
      config: {
        name: "cnn",
        seed: 1,
        dataset: { classes: ["happy", "sad"], size: 48, channels: 1, preprocessing: "scale_0_1", equalize },
        model: { family: "small_cnn" },
        training: { epochs: 1, batchSize: 32, optimizer: { name: "adam" } },
        tta: tta as null,
      },
      parameters: 100,
      plots: [],
    });
    const withTta = buildModelCard(facts({ horizontalFlip: true, shifts: [], crops: { size: 0.9, positions: ["center"] } }));
    expect(withTta.model_parameters.input_format).toContain("average the probabilities over test-time augmented views (flip+crops)");
    expect(buildModelCard(facts(null)).model_parameters.input_format).not.toContain("test-time");
    expect(buildModelCard(facts(null)).model_parameters.input_format).not.toContain("equalised");
    expect(buildModelCard(facts(null, true)).model_parameters.input_format)
      .toBe("48x48x1 face crop, gray levels 0-255, histogram-equalised after decoding (equalise every input the same way), preprocessing scale_0_1");
  });

  it("says when the kept weights are a moving average", async () => {
    const metrics = (await readRunJson<RunMetrics>(tiny.run, "metrics"))!;
    const config = (await readRunJson<{ training: Record<string, unknown> }>(tiny.run, "config"))!;
    const configPath = join(tiny.run.dir, "config.json");
    const plain = (await writeModelCard(tiny.run, { resultsRoot: tiny.resultsRoot })).card.model_parameters.model_architecture;
    expect(plain).toContain(`weights of epoch ${metrics.keptEpoch} kept`);
    try {
      await writeFile(configPath, JSON.stringify({ ...config, training: { ...config.training, weightAverage: { decay: 0.9995 } } }));
      const { card } = await writeModelCard(tiny.run, { resultsRoot: tiny.resultsRoot });
      expect(card.model_parameters.model_architecture).toContain(`the moving average of the weights (decay 0.9995) of epoch ${metrics.keptEpoch} kept`);
    } finally {
      await writeFile(configPath, JSON.stringify(config));
    }
  });
});

describe("writeModelCard with evaluations.json", () => {
  const interval = (value: number, low: number, high: number) => ({ value, low, high, level: 0.95, method: "wilson" as const });
  const split = (count: number, accuracy: number, low: number, high: number) =>
    ({ count, accuracy, accuracyInterval: interval(accuracy, low, high), macroF1: accuracy, leakFree: null }) as unknown as SplitMetrics;
  const entry = fakeDatasetEvaluation;
  const predictions = TWO_PREDICTIONS;
  const OWN = "0".repeat(64); // writeFakeRun's training-data fingerprint

  /** writeFakeRun's run on data/home, its manifest completed with the code and times a real run records. */
  async function fakeRun(resultsRoot: string) {
    const fake = await writeFakeRun(resultsRoot, { datasetRoot: "data/home", predictions });
    const manifest = await readRunJson<Record<string, unknown>>(fake.run, "manifest");
    await writeRunJson(fake.run, "manifest", { ...manifest, code: { commit: "abc1234", dirty: false }, startedAt: "2026-01-02T03:04:05Z", finishedAt: "2026-01-02T03:04:07Z" });
    return fake;
  }

  /** A hand-written run on data/home, evaluated on its own dataset with TTA and on data/photos with face detection. */
  async function evaluatedRun() {
    const resultsRoot = await tempDir("card-evals");
    const { run } = await fakeRun(resultsRoot);
    await saveDatasetEvaluation(
      run,
      entry("data/home", OWN, { validation: split(30, 0.6, 0.423, 0.754), train: split(120, 0.95, 0.895, 0.977) }, {
        tta: { horizontalFlip: true, shifts: [], crops: null },
      }),
    );
    await saveDatasetEvaluation(run, entry("data/photos", "c".repeat(64), { test: split(40, 0.525, 0.372, 0.674) }, { detectorInputSize: 416 }));
    return { run, resultsRoot };
  }

  it("adds an accuracy row per evaluated dataset and split, with its settings, and marks the run's own dataset", async () => {
    const { run, resultsRoot } = await evaluatedRun();
    const { card } = await writeModelCard(run, { resultsRoot });
    const rows = card.quantitative_analysis.performance_metrics.filter((m) => /^(home|photos) /.test(m.slice));
    expect(rows).toEqual([
      {
        type: "accuracy (Wilson 95% CI)",
        value: "0.600",
        slice: "home validation (n=30, own dataset, TTA flip)",
        confidence_interval: { lower_bound: "0.423", upper_bound: "0.754" },
      },
      {
        type: "accuracy (Wilson 95% CI)",
        value: "0.950",
        slice: "home train (n=120, own dataset, includes its training images, TTA flip)",
        confidence_interval: { lower_bound: "0.895", upper_bound: "0.977" },
      },
      {
        type: "accuracy (Wilson 95% CI)",
        value: "0.525",
        slice: "photos test (n=40, faces detected (input 416))",
        confidence_interval: { lower_bound: "0.372", upper_bound: "0.674" },
      },
    ]);
    const json = JSON.parse(await readFile(join(run.dir, "model_card.json"), "utf8"));
    expect(json.quantitative_analysis.performance_metrics).toEqual(expect.arrayContaining(rows));
    const md = await readFile(join(run.dir, "MODEL_CARD.md"), "utf8");
    expect(md).toContain("| accuracy (Wilson 95% CI) | home validation (n=30, own dataset, TTA flip) | 0.600 | [0.423, 0.754] |");
    expect(md).toContain("| accuracy (Wilson 95% CI) | photos test (n=40, faces detected (input 416)) | 0.525 | [0.372, 0.674] |");
  });

  it("lists evaluations.json among the files read and names the other datasets in the limitations", async () => {
    const { run, resultsRoot } = await evaluatedRun();
    const { card } = await writeModelCard(run, { resultsRoot });
    expect(card.sources.files).toEqual(["config.json", "manifest.json", "metrics.json", "evaluations.json"]);
    expect(card.sources.missing.some((m) => m.includes("evaluations.json"))).toBe(false);
    const md = await readFile(join(run.dir, "MODEL_CARD.md"), "utf8");
    expect(md).toContain("Read from the run folder: config.json, manifest.json, metrics.json, evaluations.json.");
    const limitation = card.considerations.limitations.map((l) => l.description).find((d) => d.startsWith("Only "));
    expect(limitation).toBe(
      "Only 48x48 face crops were evaluated: from the datasets above, and from photos (faces found in uncropped photos by fer detect's face detector, input 416); " +
        "other crops, cameras, face detectors and video were not",
    );
    expect(md).toContain(`- ${limitation}`);
  });

  it("gives the card it gave before when the run has no evaluations.json", async () => {
    const resultsRoot = await tempDir("card-no-evals");
    const { run, metrics } = await fakeRun(resultsRoot);
    const { card } = await writeModelCard(run, { resultsRoot });
    expect(card.sources.files).toEqual(["config.json", "manifest.json", "metrics.json"]);
    expect(card.sources.missing).toEqual([
      "model/ (no saved model)",
      `robustness.json (run: deno task fer robustness ${run.id})`,
      `fairness.json (run: deno task fer fairness ${run.id} --groups FILE)`,
      "a datasheet of the training data (run: deno task fer data datasheet <root>)",
    ]);
    const perSplit = (name: string, m: SplitMetrics) => [
      `accuracy (Wilson 95% CI) | ${name} (n=${m.count})`,
      `macro-F1 (bootstrap 95% CI) | ${name} (n=${m.count})`,
      `expected calibration error (15 bins) | ${name}`,
      ...Object.entries(m.perClass).map(([c, s]) => `recall | ${name}, class ${c} (n=${s.support})`),
      ...(m.leakFree ? [`accuracy without images copied in train (leak-free, Wilson 95% CI) | ${name} (n=${m.leakFree.count}, ${m.leakFree.excluded} leaked images left out)`] : []),
    ];
    expect(card.quantitative_analysis.performance_metrics.map((m) => `${m.type} | ${m.slice}`)).toEqual([
      ...perSplit("validation", metrics.validation),
      ...perSplit("test", metrics.test!),
    ]);
    const limitations = card.considerations.limitations.map((l) => l.description);
    expect(limitations.at(-1)).toBe("Only 48x48 face crops from the datasets above were evaluated; other crops, cameras, face detectors and video were not");
    const md = await readFile(join(run.dir, "MODEL_CARD.md"), "utf8");
    expect(md).toContain("Read from the run folder: config.json, manifest.json, metrics.json.\n");
    expect(md).not.toContain("evaluations.json");
  });
});
