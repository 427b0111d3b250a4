import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { createRun, writeRunJson } from "../../src/experiment/run_store.ts";
import { loadRunResults } from "../../src/notebook/load_run_results.ts";
import { tempDir, writeFakeRun } from "./notebook_fixtures.ts";

describe("loadRunResults", () => {
  it("reads config, manifest, metrics and history and labels the run by name and id tail", async () => {
    const root = await tempDir("load");
    const { run, metrics } = await writeFakeRun(root, {
      name: "small",
      datasetRoot: "/data",
      predictions: [{ path: "a", trueLabel: 0, pHappy: 0.9 }],
    });
    const results = await loadRunResults(root, run.id);
    expect(results.config.name).toBe("small");
    expect(results.manifest.dataset.root).toBe("/data");
    expect(results.metrics).toEqual(JSON.parse(JSON.stringify(metrics)));
    expect(results.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(results.label).toBe(`small (${run.id.slice(-6)})`);
  });

  it("builds the run's figures as its plots folder has them, titled with the label", async () => {
    const root = await tempDir("load");
    const { run } = await writeFakeRun(root, { datasetRoot: "/data", predictions: [{ path: "a", trueLabel: 0, pHappy: 0.9 }] });
    const { figures, label } = await loadRunResults(root, run.id);
    expect(Object.keys(figures).sort()).toEqual([
      "confusion_test",
      "confusion_test_normalized",
      "confusion_validation",
      "confusion_validation_normalized",
      "learning_curves",
      "per_class_test",
      "per_class_validation",
    ]);
    expect((figures.learning_curves.layout.title as { text: string }).text).toBe(`${label}: learning curves`);
    expect(figures.learning_curves.data[0].y).toEqual([1, 0.5]);
  });

  it("gives the run's status when it has no metrics yet", async () => {
    const root = await tempDir("load");
    const run = await createRun(root, { name: "x" }, { name: "x", now: new Date() });
    await writeRunJson(run, "manifest", { status: "failed", note: "Out of memory" });
    await expect(loadRunResults(root, run.id)).rejects.toThrow(ConfigError);
    await expect(loadRunResults(root, run.id)).rejects.toThrow(`Run ${run.id} has no results yet (status failed: Out of memory)`);
  });
});
