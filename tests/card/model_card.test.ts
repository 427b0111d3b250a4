import { beforeAll, describe, expect, it } from "vitest";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { readRunJson } from "../../src/experiment/run_store.ts";
import { writeModelCard } from "../../src/card/write_model_card.ts";
import { runRobustness } from "../../src/robustness/run_robustness.ts";
import { main } from "../../src/cli.ts";
import { makeTinyRun, type TinyRun } from "../robustness/_tiny_run.ts";

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
});
