import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { type RunContext, runExperiment } from "../../src/experiment/run_experiment.ts";
import { loadModel } from "../../src/experiment/model_files.ts";
import { readHistory, readRunJson } from "../../src/experiment/run_store.ts";
import type { RunMetrics } from "../../src/experiment/evaluate_run.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { compareMetrics } from "../../src/experiment/compare_metrics.ts";
import { Callback } from "../../src/train/callback.ts";

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

async function context(extra: Partial<RunContext> = {}): Promise<RunContext> {
  const logs: string[] = [];
  return {
    projectRoot: ".",
    resultsRoot: await mkdtemp(join(tmpdir(), "fer-results-")),
    cacheDir: null,
    log: (line) => logs.push(line),
    write: () => {},
    interactive: false,
    imagePlots: false,
    ...extra,
  };
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
});
