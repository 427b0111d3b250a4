import { beforeAll, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { makeImageSet } from "../../src/data/image_set.ts";
import { createRun, readRunJson } from "../../src/experiment/run_store.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { makeRng } from "../../src/core/seed.ts";
import { evaluateHead } from "../../src/experiment/evaluate_head.ts";
import { tempDir } from "../transfer/transfer_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A head that passes its two features through softmax: class 0 wins when feature 0 is larger. */
function passThroughHead(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [1, 1, 2] }));
  model.add(tf.layers.dense({ units: 2, activation: "softmax", weights: [tf.tensor2d([[1, 0], [0, 1]]), tf.zeros([2])] }));
  return model;
}
const split = (labels: number[], features: number[]) => ({
  set: makeImageSet(
    { pixels: new Uint8Array(labels.length), labels: Uint8Array.from(labels), paths: labels.map((_, i) => `validation/x/${i}.png`) },
    { height: 1, width: 1, channels: 1 },
  ),
  matrix: { values: Float32Array.from(features), rows: labels.length, columns: 2 },
});

describe("evaluateHead", () => {
  it("writes metrics.json and predictions.csv for the head's predictions on the features", async () => {
    const run = await createRun(await tempDir("evaluate-head"), { name: "x" }, { name: "x", now: new Date() });
    // Predictions: 0, 1, 0, 0 for labels 0, 1, 1, 0: three of four right.
    const validation = split([0, 1, 1, 0], [2, 0, 0, 2, 3, 1, 5, 0]);
    const metrics = await evaluateHead(passThroughHead(), {
      splits: { validation },
      classes: ["a", "b"],
      synthetic: true,
      // Image 2 (the one mistake) has a copy in train: the leak-free part is 3 of 3 right.
      leakage: {
        hammingThreshold: 6,
        counts: { validation: { images: 4, exact: 1, near: 0 } },
        leaked: { "validation/x/2.png": { kind: "exact", trainPath: "train/x/9.png", distance: 0 } },
      },
      run,
      rng: makeRng(1),
      epochsTrained: 3,
      keptEpoch: 2,
      stopReason: "completed",
    });
    expect(metrics.validation.accuracy).toBe(0.75);
    expect(metrics.validation.confusion).toEqual([[2, 0], [1, 1]]);
    expect(metrics.validation.leakFree).toMatchObject({ count: 3, excluded: 1, accuracy: 1, macroF1: 1 });
    expect(metrics.test).toBeUndefined();
    expect(await readRunJson<RunMetrics>(run, "metrics")).toEqual(JSON.parse(JSON.stringify(metrics)));
    const lines = (await readFile(join(run.dir, "predictions.csv"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[3]).toContain("validation/x/2.png");
  });
});
