import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fit } from "../../src/train/fit.ts";
import { makeRng } from "../../src/core/seed.ts";
import { evaluateLoss } from "../../src/train/evaluate_loss.ts";
import { keepBestWeights } from "../../src/train/keep_best_weights.ts";
import { Callback } from "../../src/train/callback.ts";
import { averageDecay } from "../../src/train/weight_average.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { batchNormModel, blobSource } from "./_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

async function weights(model: tf.LayersModel): Promise<number[][]> {
  return await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

/** Records the raw weights after every training step (the average is only swapped in at epoch ends). */
class StepWeights extends Callback {
  readonly steps: number[][][] = [];
  override async onBatchEnd(_batch: number, _logs: unknown, ctx: { model: tf.LayersModel }) {
    this.steps.push(await weights(ctx.model));
  }
}

const train = blobSource(40, 1);
const validation = blobSource(24, 2);

describe("averageDecay", () => {
  it("warms up as (1 + t) / (10 + t), then holds the configured decay", () => {
    expect(averageDecay(0.999, 0)).toBeCloseTo(0.1, 12);
    expect(averageDecay(0.999, 10)).toBeCloseTo(11 / 20, 12);
    expect(averageDecay(0.5, 10)).toBe(0.5);
    expect(averageDecay(0, 3)).toBe(0);
  });
});

describe("fit with weightAverage", () => {
  it("ends with the hand-computed moving average of the weights after each step, and validates it", async () => {
    const initial = await weights(batchNormModel(4));
    const model = batchNormModel(4);
    const recorder = new StepWeights();
    const result = await fit(model, { train, validation }, {
      epochs: 2, batchSize: 8, optimizer: tf.train.sgd(0.5), rng: makeRng(0), callbacks: [recorder], weightAverage: { decay: 0.8 },
    });
    expect(recorder.steps).toHaveLength(10);
    let average = initial;
    recorder.steps.forEach((step, t) => {
      const d = averageDecay(0.8, t);
      average = average.map((w, i) => w.map((v, k) => d * v + (1 - d) * step[i][k]));
    });
    const final = await weights(model);
    final.forEach((w, i) => w.forEach((v, k) => expect(v).toBeCloseTo(average[i][k], 5)));
    // The raw weights moved on: the average is not simply the last step.
    expect(final.some((w, i) => w.some((v, k) => Math.abs(v - recorder.steps[9][i][k]) > 1e-3))).toBe(true);
    const scored = await evaluateLoss(model, validation, { batchSize: 64, rng: makeRng(0) });
    expect(result.history[1].val_loss).toBeCloseTo(scored.loss, 6);
    expect(result.history[1].val_accuracy).toBe(scored.accuracy);
  });

  it("leaves the training trajectory alone, and with decay 0 is the plain run", async () => {
    const run = async (weightAverage: { decay: number } | null) => {
      const model = batchNormModel(5);
      const result = await fit(model, { train, validation }, {
        epochs: 3, batchSize: 8, optimizer: tf.train.adam(0.05), rng: makeRng(1), weightAverage,
      });
      return { history: result.history, weights: await weights(model) };
    };
    const plain = await run(null);
    const averaged = await run({ decay: 0.9 });
    const zero = await run({ decay: 0 });
    expect(averaged.history.map((h) => h.loss)).toEqual(plain.history.map((h) => h.loss));
    expect(averaged.history.map((h) => h.val_loss)).not.toEqual(plain.history.map((h) => h.val_loss));
    expect(zero.history.map((h) => [h.loss, h.val_loss, h.val_accuracy])).toEqual(plain.history.map((h) => [h.loss, h.val_loss, h.val_accuracy]));
    zero.weights.forEach((w, i) => w.forEach((v, k) => expect(v).toBeCloseTo(plain.weights[i][k], 6)));
  });

  it("keeps the best epoch's average with keepBestWeights, and leaves no tensors behind", async () => {
    const model = batchNormModel(6);
    const best = keepBestWeights({ monitor: "val_loss" });
    const atEpochEnd: number[][][] = [];
    class Snapshot extends Callback {
      override async onEpochEnd() {
        atEpochEnd.push(await weights(model));
      }
    }
    const optimizer = tf.train.sgd(5);
    const before = tf.memory().numTensors;
    await fit(model, { train, validation }, {
      epochs: 4, batchSize: 8, optimizer, rng: makeRng(2), callbacks: [new Snapshot(), best], weightAverage: { decay: 0.5 },
    });
    expect(await weights(model)).toEqual(atEpochEnd[best.bestEpoch]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("is a training option of run configs, 0.999 by default, and refuses a decay of 1", () => {
    const base = { name: "x", model: { family: "small_cnn" } };
    expect(parseRunConfig(base).training.weightAverage).toBeNull();
    expect(parseRunConfig({ ...base, training: { weightAverage: {} } }).training.weightAverage).toEqual({ decay: 0.999 });
    expect(() => parseRunConfig({ ...base, training: { weightAverage: { decay: 1 } } })).toThrow(/training\.weightAverage\.decay/);
  });
});
