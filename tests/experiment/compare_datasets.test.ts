import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { compareDatasets } from "../../src/experiment/compare_datasets.ts";
import { datasetComparisonTable } from "../../src/experiment/dataset_comparison_table.ts";
import { describeEvaluationSettings, saveDatasetEvaluation } from "../../src/experiment/save_dataset_evaluation.ts";
import { runPath } from "../../src/experiment/run_store.ts";
import type { SplitMetrics } from "../../src/eval/evaluate_predictions.ts";
import { fakeDatasetEvaluation, tempDir, TWO_PREDICTIONS, writeFakeRun } from "../notebook/notebook_fixtures.ts";

const interval = (value: number) => ({ value, low: value - 0.1, high: value + 0.1, level: 0.95, method: "wilson" as const });
const split = (count: number, accuracy: number, leakFree: number | null = null) =>
  ({
    count,
    accuracy,
    accuracyInterval: interval(accuracy),
    leakFree: leakFree === null ? null : { count: count - 2, excluded: 2, accuracy: leakFree, accuracyInterval: interval(leakFree), macroF1: leakFree },
  }) as unknown as SplitMetrics;
const evaluation = fakeDatasetEvaluation;
const predictions = TWO_PREDICTIONS;

describe("saveDatasetEvaluation", () => {
  it("keeps one entry per dataset and settings, and merges the splits of a later evaluation into it", async () => {
    const { run } = await writeFakeRun(await tempDir("evals"), { datasetRoot: "data/home", predictions });
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.5) }));
    await saveDatasetEvaluation(run, evaluation("data/other/", "b".repeat(64), { validation: split(30, 0.6) }));
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.55) }, { tta: { horizontalFlip: true, shifts: [], crops: null } }));
    const file = JSON.parse(await readFile(runPath(run, "evaluations"), "utf8"));
    expect(file.evaluations).toHaveLength(2);
    expect(file.evaluations[0].dataset).toBe("other");
    expect(Object.keys(file.evaluations[0].splits).sort()).toEqual(["test", "validation"]);
    expect(file.evaluations[1].tta.horizontalFlip).toBe(true);
  });

  it("keeps an evaluation restricted to some classes apart from the unrestricted one, and one entry per restriction and order", async () => {
    const { run } = await writeFakeRun(await tempDir("evals"), { datasetRoot: "data/home", predictions });
    const four = { classes: ["happy", "sad", "surprise", "neutral"], runClassCount: 7 };
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.5) }));
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.7) }, four));
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { validation: split(30, 0.6) }, four));
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.6) }, { classes: ["sad", "happy", "surprise", "neutral"], runClassCount: 7 }));
    const file = JSON.parse(await readFile(runPath(run, "evaluations"), "utf8"));
    expect(file.evaluations.map((e: { classes?: string[] }) => e.classes ?? null)).toEqual([
      null,
      ["happy", "sad", "surprise", "neutral"],
      ["sad", "happy", "surprise", "neutral"],
    ]);
    expect(file.evaluations[0].splits.test.accuracy).toBe(0.5);
    expect(Object.keys(file.evaluations[1].splits).sort()).toEqual(["test", "validation"]);
  });
});

describe("describeEvaluationSettings", () => {
  it("names a class restriction as how many of the run's classes, before the other settings", () => {
    const settings = { classes: ["happy", "sad", "surprise", "neutral"], runClassCount: 7, blurSigma: 2, tta: null };
    expect(describeEvaluationSettings(settings)).toBe("4 of 7 classes, blur 2");
    expect(describeEvaluationSettings({ blurSigma: 0, tta: null })).toBe("");
  });
});

describe("compareDatasets", () => {
  it("gives a row per run, dataset and split: the training dataset first, then each dataset eval evaluated it on", async () => {
    const root = await tempDir("datasets");
    const { run } = await writeFakeRun(root, { datasetRoot: join("data", "home"), predictions });
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.5, 0.45) }, { blurSigma: 2 }));
    const rows = await compareDatasets(root);
    expect(rows.map((r) => [r.dataset, r.split, r.trained, r.count])).toEqual([
      ["home", "validation", true, 2],
      ["home", "test", true, 2],
      ["other", "test", false, 40],
    ]);
    expect(rows[2].fingerprint).toBe("b".repeat(64));
    expect(rows[2].settings).toBe("blur 2");
    expect(rows[2].accuracy.value).toBe(0.5);
  });

  it("gives the leak-free figures on the run's own dataset and leaves them unknown on another", async () => {
    const root = await tempDir("datasets");
    const { run } = await writeFakeRun(root, { datasetRoot: "data/home", predictions });
    await saveDatasetEvaluation(run, evaluation("data/home", "0".repeat(64), { test: split(40, 0.5, 0.45) }));
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.5, 0.45) }));
    const rows = (await compareDatasets(root)).filter((r) => !r.trained);
    expect(rows.map((r) => r.leakFree?.count ?? null)).toEqual([38, null]);
  });

  it("reads only the runs asked for and gives none for a run without metrics or evaluations", async () => {
    const root = await tempDir("datasets");
    const { run: first } = await writeFakeRun(root, { name: "a", datasetRoot: "data/home", predictions, now: new Date("2026-01-01T00:00:00Z") });
    await writeFakeRun(root, { name: "b", datasetRoot: "data/home", predictions, now: new Date("2026-01-02T00:00:00Z") });
    expect((await compareDatasets(root, [first.id])).every((r) => r.id === first.id)).toBe(true);
  });
});

describe("datasetComparisonTable", () => {
  it("shows the dataset's name and fingerprint, its role, n, the accuracy interval and the leak-free figures where known", async () => {
    const root = await tempDir("datasets");
    const { run } = await writeFakeRun(root, { datasetRoot: "data/home", predictions });
    await saveDatasetEvaluation(run, evaluation("data/other", "b".repeat(64), { test: split(40, 0.5) }, { tta: { horizontalFlip: true, shifts: [[2, 0]], crops: null } }));
    const table = datasetComparisonTable(await compareDatasets(root));
    const other = table.cells[2];
    const cell = (header: string) => other[table.headers.indexOf(header)];
    expect(cell("dataset")).toBe("other");
    expect(cell("fingerprint")).toBe("bbbbbbbbbbbb");
    expect(cell("role")).toBe("eval (TTA flip+1 shifts)");
    expect(cell("n")).toBe("40");
    expect(cell("acc [95% CI]")).toBe("0.500 [0.400, 0.600]");
    expect(cell("leak-free n")).toBe("");
    expect(table.cells[0][table.headers.indexOf("role")]).toBe("trained on");
  });
});
