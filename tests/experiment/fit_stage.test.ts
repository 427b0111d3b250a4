import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";
import { fitStage, type StageContext } from "../../src/experiment/fit_stage.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { createRun, readHistory } from "../../src/experiment/run_store.ts";
import type { BatchSource } from "../../src/train/batch_source.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Two separable classes of two features each. */
function source(): BatchSource {
  const labels = Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1]);
  return {
    count: labels.length,
    labels,
    numClasses: 2,
    batch: (indices) => ({
      x: tf.tensor4d(indices.flatMap((i) => (labels[i] === 0 ? [1, 0] : [0, 1])), [indices.length, 1, 1, 2]),
      y: tf.tidy(() => tf.oneHot(tf.tensor1d(indices.map((i) => labels[i]), "int32"), 2) as tf.Tensor2D),
    }),
  };
}

function model(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [1, 1, 2] }));
  m.add(tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  return m;
}

async function stageContext(saves: string[]): Promise<StageContext> {
  const run = await createRun(await mkdtemp(join(tmpdir(), "fit-stage-")), {}, { name: "s", now: new Date() });
  return { run, rng: makeRng(1), trainLabels: source().labels, numClasses: 2, saveBest: () => Promise.resolve(void saves.push("saved")), write: () => {}, interactive: false };
}

const training = parseRunConfig({ name: "s", model: { family: "small_cnn" }, training: { epochs: 3, batchSize: 4 } }, "test").training;

describe("fitStage", () => {
  it("records a recorded stage's epochs in history.csv and keeps an epoch", async () => {
    const saves: string[] = [];
    const ctx = await stageContext(saves);
    const m = model();
    const result = await fitStage({ model: m, data: { train: source(), validation: source() }, training, epochs: 3, recorded: true }, ctx);
    expect(result.history).toHaveLength(3);
    expect(await readHistory(ctx.run)).toHaveLength(3);
    expect(result.keptEpoch).toBeGreaterThanOrEqual(1);
    expect(saves.length).toBeGreaterThanOrEqual(1);
    m.dispose();
  });

  it("leaves history.csv and the saved model alone in a warm-up stage", async () => {
    const saves: string[] = [];
    const ctx = await stageContext(saves);
    const m = model();
    const result = await fitStage({ model: m, data: { train: source(), validation: source() }, training, epochs: 2, recorded: false }, ctx);
    expect(result.history).toHaveLength(2);
    expect(result.keptEpoch).toBe(2);
    expect(await readHistory(ctx.run)).toHaveLength(0);
    expect(saves).toEqual([]);
    m.dispose();
  });
});
