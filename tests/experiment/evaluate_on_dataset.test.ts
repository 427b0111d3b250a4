import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { evaluateOnDataset, predictOnDataset } from "../../src/experiment/evaluate_on_dataset.ts";
import { openRun, type RunHandle, writeRunJson } from "../../src/experiment/run_store.ts";
import { constantRun, FER2013_CLASSES, fourClassTestSet } from "./experiment_fixtures.ts";

let run: RunHandle;
let root = "";

beforeAll(async () => {
  const { resultsRoot, runId } = await constantRun();
  run = await openRun(resultsRoot, runId);
  root = await fourClassTestSet();
});

// The constant model gives angry 0.30, disgust 0.05, fear 0.05, happy 0.10, neutral 0.12, sad 0.20, surprise 0.18 to every image.
describe("evaluateOnDataset restricted to some of the run's classes", () => {
  it("keeps the subset's columns in the order given and renormalises them: happy, sad, surprise, neutral of 7 predict sad with confidence 1/3", async () => {
    const result = await evaluateOnDataset(run, root, { splits: ["test"], cacheDir: null, classes: ["happy", "sad", "surprise", "neutral"] });
    const m = result.splits.test;
    expect(result.classes).toEqual(["happy", "sad", "surprise", "neutral"]);
    expect(result.runClassCount).toBe(7);
    expect(Object.keys(m.perClass)).toEqual(["happy", "sad", "surprise", "neutral"]);
    // Unrestricted, angry (0.30) would win; in the subset's order sad (0.20 / 0.60) does, for all 20 images.
    expect(m.count).toBe(20);
    expect(m.predictedCounts).toEqual([0, 20, 0, 0]);
    expect(m.accuracy).toBe(0.25);
    expect(m.confusion).toEqual([[0, 5, 0, 0], [0, 5, 0, 0], [0, 5, 0, 0], [0, 5, 0, 0]]);
    // One confidence bin at 1/3 (0.20 without renormalising): |0.25 - 1/3|.
    expect(m.expectedCalibrationError).toBeCloseTo(1 / 3 - 0.25, 5);
  });

  it("reads only the subset's class folders, labelled in the subset's order: surprise, neutral predict surprise with confidence 0.6", async () => {
    const result = await evaluateOnDataset(run, root, { splits: ["test"], cacheDir: null, classes: ["surprise", "neutral"] });
    const m = result.splits.test;
    expect(m.count).toBe(10);
    expect(m.predictedCounts).toEqual([10, 0]);
    expect(m.perClass.surprise.recall).toBe(1);
    expect(m.perClass.neutral.recall).toBe(0);
    // 0.18 / (0.18 + 0.12) = 0.6 against an accuracy of 0.5.
    expect(m.expectedCalibrationError).toBeCloseTo(0.1, 5);
  });

  it("scores every output and records no restriction without classes", async () => {
    const result = await evaluateOnDataset(run, root, { splits: ["test"], cacheDir: null });
    expect("classes" in result).toBe(false);
    expect("runClassCount" in result).toBe(false);
    expect(result.splits.test.predictedCounts).toEqual([20, 0, 0, 0, 0, 0, 0]);
  });

  it("refuses a class the run does not have, naming the run's classes and an example, before reading the dataset", async () => {
    const evaluation = evaluateOnDataset(run, "/no/such/dataset", { cacheDir: null, classes: ["happy", "contempt"] });
    await expect(evaluation).rejects.toThrow(ConfigError);
    await expect(evaluation).rejects.toThrow(
      `Class "contempt" is not among the outputs of run ${run.id} (angry, disgust, fear, happy, neutral, sad, surprise); ` +
        "restrict the evaluation to some of the run's classes, e.g. --classes angry,disgust",
    );
  });

  it("refuses a single class", async () => {
    const evaluation = evaluateOnDataset(run, "/no/such/dataset", { cacheDir: null, classes: ["happy"] });
    await expect(evaluation).rejects.toThrow(ConfigError);
    await expect(evaluation).rejects.toThrow(
      `Option --classes names only "happy"; a restricted evaluation needs at least 2 of the run's classes (angry, disgust, fear, happy, neutral, sad, surprise), e.g. --classes angry,disgust`,
    );
  });

  it("refuses the same class named twice, also in two spellings", async () => {
    await expect(evaluateOnDataset(run, root, { cacheDir: null, classes: ["sad", "happy", "sad"] })).rejects.toThrow('Option --classes names "sad" twice');
    await expect(evaluateOnDataset(run, root, { cacheDir: null, classes: ["happy", "happiness"] })).rejects.toThrow(
      'Option --classes names "happy" and "happiness", both the run\'s class "happy"; list each class once',
    );
  });
});

describe("evaluateOnDataset of a run trained on another folder", () => {
  it("leaves out of leak-free the images with a copy in the run's own train split, and gives no leak-free figure when that folder is gone", async () => {
    const { resultsRoot, runId } = await constantRun();
    const other = await openRun(resultsRoot, runId);
    const dir = await mkdtemp(join(tmpdir(), "fer-own-train-"));
    const four = join(dir, "four"), seven = join(dir, "seven");
    await generateSyntheticDataset(four, { perClass: { train: 2, validation: 3, test: 0 }, seed: 5, size: 24 });
    await generateSyntheticDataset(seven, { perClass: { train: 2, validation: 1, test: 0 }, classes: FER2013_CLASSES, seed: 9, size: 24 });
    // Two of the 4-class validation images are in the run's own training data, under other names.
    const seen = (await readdir(join(four, "validation", "happy"))).sort().slice(0, 2).map((file) => `validation/happy/${file}`);
    for (const [i, path] of seen.entries()) await copyFile(join(four, path), join(seven, "train", "happy", `copy_${i}${extname(path)}`));
    const options = { splits: ["validation"], cacheDir: null, classes: ["happy", "sad", "surprise", "neutral"] };

    await writeRunJson(other, "manifest", { id: runId, status: "completed", dataset: { root: four } });
    const alone = await predictOnDataset(other, four, options);
    expect(alone.trainedOn).toBeUndefined();
    await writeRunJson(other, "manifest", { id: runId, status: "completed", dataset: { root: seven } });
    const both = await predictOnDataset(other, four, options);
    expect(both.trainedOn).toEqual({ root: seven, checked: true });
    const { set, leaked } = both.splits.validation;
    for (const path of seen) expect(leaked![set.paths.indexOf(path)]).toBe(true);
    // Whatever the dataset's own train split leaks stays left out too.
    alone.splits.validation.leaked!.forEach((flag, i) => flag && expect(leaked![i]).toBe(true));
    const evaluation = await evaluateOnDataset(other, four, options);
    expect(evaluation.trainedOn).toEqual({ root: seven, checked: true });
    expect(evaluation.splits.validation.leakFree!.excluded).toBe(leaked!.filter(Boolean).length);

    await rm(seven, { recursive: true });
    const gone = await evaluateOnDataset(other, four, options);
    expect(gone.trainedOn).toEqual({ root: seven, checked: false });
    expect(gone.splits.validation.leakFree).toBeNull();
  });
});
