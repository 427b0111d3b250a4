import { beforeAll, describe, expect, it } from "vitest";
import { copyFile, cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { equalizeImages } from "../../src/data/decode_image.ts";
import { findLeakedImages } from "../../src/data/find_leaked_images.ts";
import { type ImageSet, makeImageSet } from "../../src/data/image_set.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import type { RunContext } from "../../src/experiment/run_context.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { loadModel, saveModel } from "../../src/experiment/model_files.ts";
import { evaluateOnDataset, predictOnDataset } from "../../src/experiment/evaluate_on_dataset.ts";
import { readPredictions } from "../../src/experiment/read_predictions.ts";
import type { TransferRunMetrics } from "../../src/experiment/run_metrics.ts";
import { readWeightManifest } from "../../src/transfer/read_weight_manifest.ts";
import { readHistory, readRunJson } from "../../src/experiment/run_store.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { compareMetrics } from "../../src/experiment/compare_metrics.ts";
import { Callback, type TrainContext } from "../../src/train/callback.ts";
import { loggingRunContext } from "./experiment_fixtures.ts";

let dataRoot = "";
beforeAll(async () => {
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-run-data-")), "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 24, validation: 8, test: 8 }, seed: 5 });
});

function tinyConfig(extra: Record<string, unknown> = {}) {
  return parseRunConfig({
    name: "tiny",
    seed: 7,
    backend: "wasm",
    dataset: { root: dataRoot, size: 24, augmentation: { horizontalFlip: true, rotationDegrees: 10 } },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 2, batchSize: 16, schedule: { name: "reduce_on_plateau", patience: 1 } },
    ...extra,
  });
}

/** A callback that records the scoring views each training stage it is given announces (`TrainContext.scoringViews`). */
function scoringViewsRecorder(): { views: (number | undefined)[]; recorder: Callback } {
  const views: (number | undefined)[] = [];
  class Recorder extends Callback {
    override onTrainBegin(ctx: TrainContext) {
      views.push(ctx.scoringViews);
    }
  }
  return { views, recorder: new Recorder() };
}

async function context(extra: Partial<RunContext> = {}): Promise<RunContext> {
  return { ...(await loggingRunContext()), ...extra };
}

describe("runExperiment", () => {
  it("leaves a complete run folder marked completed and labelled synthetic", async () => {
    const ctx = await context();
    const { run, manifest } = await runExperiment(tinyConfig(), ctx);
    expect((await readdir(run.dir)).sort()).toEqual(
      ["config.json", "history.csv", "manifest.json", "metrics.json", "model", "plots", "predictions.csv"],
    );
    expect(manifest.status).toBe("completed");
    const saved = await readRunJson<RunManifest>(run, "manifest");
    expect(saved?.dataset.synthetic).toBe(true);
    expect(saved?.dataset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(saved?.code.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(saved?.backend.name).toBe("wasm");
    const history = await readHistory(run);
    expect(history).toHaveLength(2);
    const metrics = await readRunJson<RunMetrics>(run, "metrics");
    // keepBestOn defaults to val_accuracy: the kept epoch is the first with the highest value.
    const accuracies = history.map((h) => h.val_accuracy);
    expect(metrics?.keptEpoch).toBe(accuracies.indexOf(Math.max(...accuracies)) + 1);
    expect(metrics?.validation.count).toBe(32);
    expect(metrics?.test?.count).toBe(32);
    // Every evaluation also reports the leak-free part of each split.
    expect(metrics!.validation.leakFree!.count + metrics!.validation.leakFree!.excluded).toBe(32);
    expect(saved?.dataset.leakage?.counts.validation.images).toBe(32);
    expect(saved?.dataset.leakage?.dropped).toBe(false);
    expect(metrics?.synthetic).toBe(true);
    const predictions = (await readFile(join(run.dir, "predictions.csv"), "utf8")).trim().split("\n");
    expect(predictions).toHaveLength(1 + 64);
    expect((await readdir(join(run.dir, "plots"))).filter((f) => f.endsWith(".html")).length).toBeGreaterThanOrEqual(5);
    const model = await loadModel(join(run.dir, "model"));
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it("gives bit-identical metrics for the same config and seed on the same backend", async () => {
    const first = await runExperiment(tinyConfig(), await context());
    const second = await runExperiment(tinyConfig(), await context());
    const a = await readRunJson<RunMetrics>(first.run, "metrics");
    const b = await readRunJson<RunMetrics>(second.run, "metrics");
    const mismatches = compareMetrics(a!, b!).filter((m) => !m.match);
    expect(mismatches).toEqual([]);
    const weightsA = await readFile(join(first.run.dir, "model", "weights.bin"));
    const weightsB = await readFile(join(second.run.dir, "model", "weights.bin"));
    expect(Buffer.compare(weightsA, weightsB)).toBe(0);
  });

  it("marks an interrupted run and keeps its best weights and metrics", async () => {
    const controller = new AbortController();
    const ctx = await context({ signal: controller.signal });
    // Abort during the second epoch, after the first has been validated.
    let epochsSeen = 0;
    const original = Callback.prototype.onEpochBegin;
    Callback.prototype.onEpochBegin = function (epoch, c) {
      if (epoch === 1 && epochsSeen++ === 0) controller.abort();
      return original.call(this, epoch, c);
    };
    try {
      const { run, manifest, stopReason } = await runExperiment(tinyConfig({ training: { epochs: 3, batchSize: 16 } }), ctx);
      expect(stopReason).toBe("interrupted");
      expect(manifest.status).toBe("interrupted");
      expect(await readHistory(run)).toHaveLength(1);
      const metrics = await readRunJson<RunMetrics>(run, "metrics");
      expect(metrics?.stopReason).toBe("interrupted");
      expect(metrics?.keptEpoch).toBe(1);
      expect((await readdir(join(run.dir, "model"))).sort()).toEqual(["model.json", "weights.bin"]);
    } finally {
      Callback.prototype.onEpochBegin = original;
    }
  });

  it("fails before creating a run folder when the dataset root is missing", async () => {
    const ctx = await context();
    await expect(runExperiment(tinyConfig({ dataset: { root: "/no/such/dataset" } }), ctx)).rejects.toThrow("does not exist");
    expect(await readdir(ctx.resultsRoot)).toEqual([]);
  });

  it("leaves no tensors behind", async () => {
    await runExperiment(tinyConfig(), await context());
    const before = tf.memory().numTensors;
    await runExperiment(tinyConfig(), await context());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("evalBlurSigma", () => {
  it("blurs validation and test inputs, which changes the predictions but not training", async () => {
    const plain = await runExperiment(tinyConfig(), await context());
    const blurred = await runExperiment(
      tinyConfig({ dataset: { root: dataRoot, size: 24, evalBlurSigma: 3, augmentation: { horizontalFlip: true, rotationDegrees: 10 } } }),
      await context(),
    );
    const a = await readFile(join(plain.run.dir, "predictions.csv"), "utf8");
    const b = await readFile(join(blurred.run.dir, "predictions.csv"), "utf8");
    expect(a).not.toEqual(b);
    const historyA = (await readHistory(plain.run)).map((h) => h.loss);
    const historyB = (await readHistory(blurred.run)).map((h) => h.loss);
    expect(historyB).toEqual(historyA);
  });
});

describe("tta", () => {
  it("scores validation and test over the views, records them, and leaves training alone; fer eval defaults to them", async () => {
    const tta = { horizontalFlip: true, shifts: [], crops: { size: 0.75, positions: ["center"] } };
    const plain = await runExperiment(tinyConfig(), await context());
    const augmented = await runExperiment(tinyConfig({ tta }), await context());
    expect((await readHistory(augmented.run)).map((h) => h.loss)).toEqual((await readHistory(plain.run)).map((h) => h.loss));
    const metrics = (await readRunJson<RunMetrics>(augmented.run, "metrics"))!;
    expect(metrics.tta).toEqual(tta);
    expect((await readRunJson<RunMetrics>(plain.run, "metrics"))!.tta).toBeNull();
    const rows = await readPredictions(augmented.run);
    const plainRows = await readPredictions(plain.run);
    expect(rows.map((r) => r.path)).toEqual(plainRows.map((r) => r.path));
    // The same weights, other views: the saved probabilities are not the single view's.
    expect(rows.some((r, i) => Math.abs(r.probabilities.happy - plainRows[i].probabilities.happy) > 1e-4)).toBe(true);
    // They are exactly what fer eval computes by default (the run's tta), and --tta none gives the plain run's.
    const byDefault = await predictOnDataset(augmented.run, dataRoot, { splits: ["validation"], cacheDir: null });
    expect(byDefault.tta).toEqual(tta);
    const oneView = await predictOnDataset(augmented.run, dataRoot, { splits: ["validation"], cacheDir: null, tta: null });
    const classes = byDefault.classes;
    const validationRows = (saved: typeof rows) => saved.filter((r) => r.split === "validation");
    validationRows(rows).forEach((row, i) => {
      classes.forEach((c, k) => expect(byDefault.splits.validation.probabilities[i][k]).toBeCloseTo(row.probabilities[c], 5));
    });
    validationRows(plainRows).forEach((row, i) => {
      classes.forEach((c, k) => expect(oneView.splits.validation.probabilities[i][k]).toBeCloseTo(row.probabilities[c], 5));
    });
    const evaluation = await evaluateOnDataset(augmented.run, dataRoot, { splits: ["validation"], cacheDir: null });
    expect(evaluation.tta).toEqual(tta);
    expect(evaluation.splits.validation.accuracy).toBe(metrics.validation.accuracy);
  });

  it("a VGG-style net with model.inputCrop trains, saves and reloads its crop: fer eval predicts what the run saved", async () => {
    const config = tinyConfig({
      model: { family: "vgg_like", filters: [4, 8], denseUnits: 8, inputCrop: 4 },
      tta: { horizontalFlip: true, shifts: [[4, 4], [-4, -4]], crops: null },
    });
    const { run } = await runExperiment(config, await context());
    const model = await loadModel(join(run.dir, "model"));
    expect(model.layers[0].getClassName()).toBe("Cropping2D");
    expect(model.layers[1].outputShape).toEqual([null, 16, 16, 4]);
    const saved = (await readPredictions(run)).filter((r) => r.split === "validation");
    const again = await predictOnDataset(run, dataRoot, { splits: ["validation"], cacheDir: null });
    saved.forEach((row, i) => again.classes.forEach((c, k) => expect(again.splits.validation.probabilities[i][k]).toBeCloseTo(row.probabilities[c], 5)));
    model.dispose();
  });

  it("fer eval of validation alone still reports its leak-free part, as evaluating every split does", async () => {
    const root = join(await mkdtemp(join(tmpdir(), "fer-leaky-")), "leaky");
    await cp(dataRoot, root, { recursive: true });
    const label = (await readdir(join(root, "train"))).sort()[0];
    const file = (await readdir(join(root, "train", label))).sort()[0];
    await copyFile(join(root, "train", label, file), join(root, "validation", label, `copy_of_${file}`));
    const { run } = await runExperiment(tinyConfig(), await context());
    const all = await evaluateOnDataset(run, root, { cacheDir: null });
    const alone = await evaluateOnDataset(run, root, { splits: ["validation"], cacheDir: null });
    expect(Object.keys(alone.splits)).toEqual(["validation"]);
    expect(alone.splits.validation.leakFree!.excluded).toBeGreaterThanOrEqual(1);
    expect(alone.splits.validation.leakFree).toEqual(all.splits.validation.leakFree);
    // A run that drops leaked images scores validation alone without them too, as it does every split.
    const dropping = await runExperiment(tinyConfig({ dataset: { ...tinyConfig().dataset, dropLeaked: true } }), await context());
    const droppedAll = await evaluateOnDataset(dropping.run, root, { cacheDir: null });
    const droppedAlone = await evaluateOnDataset(dropping.run, root, { splits: ["validation"], cacheDir: null });
    expect(droppedAll.splits.validation.count).toBe(all.splits.validation.count - all.splits.validation.leakFree!.excluded);
    expect(droppedAlone.splits.validation.count).toBe(droppedAll.splits.validation.count);
    expect(droppedAlone.splits.validation.accuracy).toBe(droppedAll.splits.validation.accuracy);
  });

  it("an equalising run's leak-free part is a plain run's, whether its split is evaluated alone or with train", async () => {
    // A darker copy (gamma 4) of a train face: not a near copy as decoded, but one once both are equalised.
    const root = join(await mkdtemp(join(tmpdir(), "fer-gamma-")), "gamma");
    await cp(dataRoot, root, { recursive: true });
    const label = (await readdir(join(root, "train"))).sort()[0];
    const file = (await readdir(join(root, "train", label))).sort()[1];
    const { data, info } = await sharp(join(root, "train", label, file)).grayscale().raw().toBuffer({ resolveWithObject: true });
    const darker = Uint8Array.from(data, (v) => Math.round(255 * (v / 255) ** 4));
    const darkerPath = `validation/${label}/darker_${file.replace(/\.\w+$/, "")}.png`;
    await sharp(darker, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toFile(join(root, darkerPath));
    // The fixture's point, checked: equalised first, the copy would be flagged.
    const decoded = await loadDataset(root, { decode: { size: 24 }, cacheDir: null });
    expect(decoded.leakage!.leaked[darkerPath]).toBeUndefined();
    const equalized = (set: ImageSet) => makeImageSet({ pixels: equalizeImages(set.pixels, set), labels: set.labels, paths: set.paths }, set);
    const equalizedFirst = findLeakedImages(equalized(decoded.splits.train), { validation: equalized(decoded.splits.validation) });
    expect(equalizedFirst.leaked[darkerPath]).toBeDefined();

    const plain = await runExperiment(tinyConfig(), await context());
    const equalizing = await runExperiment(tinyConfig({ dataset: { ...tinyConfig().dataset, equalize: true } }), await context());
    const flagged = (split: { set: ImageSet; leaked?: boolean[] }) => split.set.paths.filter((_, i) => split.leaked?.[i]);
    const reference = flagged((await predictOnDataset(plain.run, root, { cacheDir: null })).splits.validation);
    expect(reference.length).toBeGreaterThan(0);
    expect(reference).not.toContain(darkerPath);
    for (const splits of [undefined, ["validation"]]) {
      expect(flagged((await predictOnDataset(equalizing.run, root, { splits, cacheDir: null })).splits.validation)).toEqual(reference);
    }
  });

  it("is refused for a transfer run, whose head is scored on cached features", () => {
    expect(() =>
      parseRunConfig({
        name: "t",
        model: { family: "transfer", backbone: "face_api_expression", mode: "fine_tune" },
        tta: { horizontalFlip: true },
      })
    ).toThrow(/tta: a transfer run's head is evaluated on cached backbone features.*--tta flip,crop/s);
  });
});

describe("training.weightAverage", () => {
  it("validates and saves the average while the training losses stay the plain run's", async () => {
    const plain = await runExperiment(tinyConfig(), await context());
    const averaged = await runExperiment(tinyConfig({ training: { ...tinyConfig().training, weightAverage: { decay: 0.9 } } }), await context());
    const [plainHistory, averagedHistory] = [await readHistory(plain.run), await readHistory(averaged.run)];
    expect(averagedHistory.map((h) => h.loss)).toEqual(plainHistory.map((h) => h.loss));
    expect(averagedHistory.map((h) => h.val_loss)).not.toEqual(plainHistory.map((h) => h.val_loss));
    // The saved model is the averaged one its metrics describe.
    const metrics = (await readRunJson<RunMetrics>(averaged.run, "metrics"))!;
    const again = await evaluateOnDataset(averaged.run, dataRoot, { splits: ["validation"], cacheDir: null });
    expect(again.splits.validation.accuracy).toBe(metrics.validation.accuracy);
  });
});

describe("RunContext callbacks", () => {
  it("calls extra callbacks once per epoch during training", async () => {
    const epochs: number[] = [];
    class Recorder extends Callback {
      override onEpochEnd(epoch: number) {
        epochs.push(epoch);
      }
    }
    await runExperiment(tinyConfig(), await context({ callbacks: [new Recorder()] }));
    expect(epochs).toEqual([0, 1]);
  });

  it("tells them how many views the kept weights are scored over after training (a sitting leaves room for them)", async () => {
    const { views, recorder } = scoringViewsRecorder();
    await runExperiment(tinyConfig(), await context({ callbacks: [recorder] }));
    await runExperiment(tinyConfig({ tta: { horizontalFlip: true, crops: { size: 0.9 } } }), await context({ callbacks: [recorder] }));
    expect(views).toEqual([1, 12]);
  });
});

describe("transfer runs", () => {
  const transferConfig = (model: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    parseRunConfig({
      name: "transfer",
      seed: 11,
      backend: "wasm",
      dataset: { root: dataRoot, evalBlurSigma: 1 },
      model: { family: "transfer", ...model },
      training: { epochs: 3, batchSize: 16, optimizer: { name: "adam", learningRate: 0.01 } },
      ...extra,
    });

  it("trains a head on cached features, leaves the standard run folder, and its saved model reproduces the metrics", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-transfer-cache-"));
    const logs: string[] = [];
    const ctx = await context({ cacheDir, log: (line) => logs.push(line) });
    const config = transferConfig({ backbone: "face_api_expression" }, { dataset: { root: dataRoot, evalBlurSigma: 1, limitPerSplit: { train: 48 } } });
    const { run, manifest } = await runExperiment(config, ctx);
    expect(manifest.status).toBe("completed");
    expect((await readdir(run.dir)).sort()).toEqual(
      ["config.json", "history.csv", "manifest.json", "metrics.json", "model", "plots", "predictions.csv"],
    );
    expect(await readHistory(run)).toHaveLength(3);
    const metrics = await readRunJson<TransferRunMetrics>(run, "metrics");
    expect(metrics?.transfer).toMatchObject({ backbone: "face_api_expression", kind: "layers", mode: "frozen", features: 256 });
    expect(metrics?.transfer.featureCache).toEqual({ train: "computed", validation: "computed", test: "computed" });
    expect(Array.isArray(metrics?.warnings)).toBe(true);
    expect(logs.some((line) => line.startsWith("Transfer: face_api_expression"))).toBe(true);
    // The saved image-to-probabilities model, run on the blurred test images, gives the feature path's metrics.
    const evaluation = await evaluateOnDataset(run, dataRoot, { splits: ["test"], cacheDir: null });
    expect(evaluation.splits.test.accuracy).toBe(metrics?.test?.accuracy);
    expect(evaluation.splits.test.confusion).toEqual(metrics?.test?.confusion);

    const again = await runExperiment(config, await context({ cacheDir }));
    const second = await readRunJson<TransferRunMetrics>(again.run, "metrics");
    expect(second?.transfer.featureCache).toEqual({ train: "cached", validation: "cached", test: "cached" });
    expect(compareMetrics(metrics!, second!).filter((m) => !m.match)).toEqual([]);
  });

  it("fine-tunes only the last backbone layers, after a head warm-up on features", async () => {
    const config = transferConfig(
      { backbone: "face_api_expression", mode: "fine_tune", unfreezeLast: 2, headWarmupEpochs: 1 },
      {
        dataset: { root: dataRoot, limitPerSplit: { train: 32, validation: 16, test: 16 }, augmentation: { horizontalFlip: true } },
        training: { epochs: 1, batchSize: 16, optimizer: { name: "adam", learningRate: 0.01 } },
      },
    );
    const logs: string[] = [];
    // The recorded stage (not the warm-up) tells a sitting that the kept weights are scored once after it.
    const { views, recorder } = scoringViewsRecorder();
    const { run } = await runExperiment(config, await context({ log: (line) => logs.push(line), callbacks: [recorder] }));
    expect(views).toEqual([1]);
    expect(logs).toContain("Head warm-up: 1 epochs on frozen features");
    expect(logs).toContain("Fine-tuning end to end at learning rate 0.001");
    const metrics = await readRunJson<TransferRunMetrics>(run, "metrics");
    expect(metrics?.transfer.trainableBackboneLayers).toBe(2);
    expect(await readHistory(run)).toHaveLength(1);
    const { weights } = await readWeightManifest("node_modules/@vladmandic/face-api/model", "face_expression_model", { install: "npm ci" });
    const model = await loadModel(join(run.dir, "model"));
    const kernel = (layer: string) => model.getLayer(layer).getWeights()[1].dataSync();
    expect(Array.from(kernel("face_expr_dense0_conv1"))).toEqual(Array.from(weights["dense0/conv1/pointwise_filter"].dataSync()));
    expect(Array.from(kernel("face_expr_dense3_conv3"))).not.toEqual(Array.from(weights["dense3/conv3/pointwise_filter"].dataSync()));
    model.dispose();
    tf.dispose(Object.values(weights));
  });

  it("evaluates a packaged classifier as it is, with no epochs, and stores it as a run", async () => {
    const { run, manifest } = await runExperiment(transferConfig({ backbone: "face_api_expression", mode: "pretrained" }), await context());
    expect(manifest.status).toBe("completed");
    expect(await readHistory(run)).toEqual([]);
    const metrics = await readRunJson<TransferRunMetrics>(run, "metrics");
    expect(metrics?.epochsTrained).toBe(0);
    expect(metrics?.validation.count).toBe(32);
    expect(metrics?.transfer.mode).toBe("pretrained");
    const model = await loadModel(join(run.dir, "model"));
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it("says loudly, in metrics.json and the log, when predictions collapse to one class", async () => {
    // A backbone whose features are all zero: the head can only predict one class.
    const dir = join(await mkdtemp(join(tmpdir(), "fer-zero-backbone-")), "model");
    const zero = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [8, 8, 1] }), tf.layers.dense({ units: 4, kernelInitializer: "zeros", name: "zero" })],
    });
    await saveModel(zero, dir);
    const backbone = { url: dir, featureNode: "zero", inputSize: 8, channels: 1, normalization: "zero_to_one", pooling: "flatten" };
    const logs: string[] = [];
    const { run } = await runExperiment(transferConfig({ backbone }), await context({ log: (line) => logs.push(line) }));
    const metrics = await readRunJson<TransferRunMetrics>(run, "metrics");
    expect(metrics?.warnings).toHaveLength(2);
    expect(metrics?.warnings[0]).toMatch(/^Predictions on validation collapsed to ".+": 100\.0% of 32 images \(its share of the labels is 25\.0%\)/);
    expect(logs.filter((line) => line.startsWith("WARNING: Predictions on"))).toHaveLength(2);
  });

  it("fails before creating a run folder when the backbone's files are missing", async () => {
    const ctx = await context({ projectRoot: await mkdtemp(join(tmpdir(), "fer-empty-project-")) });
    await expect(runExperiment(transferConfig({ backbone: "human_emotion" }), ctx)).rejects.toThrow("fetch it with: deno run -A src/transfer/fetch_human_models.ts");
    expect(await readdir(ctx.resultsRoot)).toEqual([]);
  });

  it("leaves no tensors behind", async () => {
    const config = transferConfig(
      { backbone: "face_api_expression", head: { hiddenUnits: [8], dropout: 0.2 } },
      { dataset: { root: dataRoot, limitPerSplit: { train: 32, validation: 16, test: 16 } } },
    );
    await runExperiment(config, await context());
    const before = tf.memory().numTensors;
    await runExperiment(config, await context());
    expect(tf.memory().numTensors).toBe(before);
  });
});
