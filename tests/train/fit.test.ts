import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { fit } from "../../src/train/fit.ts";
import { makeRng } from "../../src/core/seed.ts";
import { makeBatches } from "../../src/train/make_batches.ts";
import { trainingLoss } from "../../src/train/training_loss.ts";
import { getLearningRate, setLearningRate } from "../../src/train/set_learning_rate.ts";
import { keepBestWeights } from "../../src/train/keep_best_weights.ts";
import { Callback } from "../../src/train/callback.ts";
import { oneCycleSchedule, oneCycleValues } from "../../src/train/one_cycle_schedule.ts";
import { blobSource } from "./_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function tinyModel(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1] }),
      tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
    ],
  });
}

describe("fit", () => {
  it("lowers the loss and reports validation metrics each epoch", async () => {
    const model = tinyModel(1);
    const result = await fit(model, { train: blobSource(64, 1), validation: blobSource(32, 2) }, {
      epochs: 5, batchSize: 16, optimizer: tf.train.adam(0.05), rng: makeRng(0),
    });
    expect(result.history).toHaveLength(5);
    expect(result.history[4].loss).toBeLessThan(result.history[0].loss);
    expect(result.history[4].val_accuracy).toBeGreaterThan(0.9);
    expect(result.stopReason).toBe("completed");
  });

  it("reads each batch's L2 penalty apart: l2 times the squared kernels the step started from, inside the batch's loss", async () => {
    const model = tinyModel(5);
    const kernel = model.trainableWeights.find((w) => /kernel/.test(w.name))!.read();
    const logs: { loss: number; penalty?: number; expected: number }[] = [];
    // The kernel's penalty now, and after each step: the one the next step starts from.
    const penaltyNow = () => {
      const sum = tf.tidy(() => kernel.square().sum());
      const value = 0.01 * sum.dataSync()[0];
      sum.dispose();
      return value;
    };
    let before = penaltyNow();
    class Reader extends Callback {
      override onBatchEnd(_batch: number, batchLogs: { loss: number; penalty?: number }) {
        logs.push({ ...batchLogs, expected: before });
        before = penaltyNow();
      }
    }
    await fit(model, { train: blobSource(32, 1) }, { epochs: 1, batchSize: 8, optimizer: tf.train.sgd(0.5), rng: makeRng(0), l2: 0.01, callbacks: [new Reader()] });
    expect(logs).toHaveLength(4);
    for (const log of logs) {
      expect(log.penalty).toBeCloseTo(log.expected, 6);
      expect(log.loss).toBeGreaterThan(log.penalty!);
    }
    // The penalty follows the weights as the steps change them.
    expect(new Set(logs.map((log) => log.penalty)).size).toBe(4);
    // Without L2 it is 0.
    const plain: number[] = [];
    class PlainReader extends Callback {
      override onBatchEnd(_batch: number, batchLogs: { penalty?: number }) {
        plain.push(batchLogs.penalty ?? -1);
      }
    }
    await fit(tinyModel(5), { train: blobSource(16, 1) }, { epochs: 1, batchSize: 8, optimizer: tf.train.sgd(0.5), rng: makeRng(0), callbacks: [new PlainReader()] });
    expect(plain).toEqual([0, 0]);
  });

  it("gives bit-identical weights for the same seed", async () => {
    const train = async () => {
      const model = tinyModel(3);
      await fit(model, { train: blobSource(40, 1) }, { epochs: 3, batchSize: 8, optimizer: tf.train.sgd(0.1), rng: makeRng(7) });
      return Array.from(await model.getWeights()[0].data());
    };
    expect(await train()).toEqual(await train());
  });

  it("stops after the current batch when interrupted and still runs onTrainEnd", async () => {
    const controller = new AbortController();
    let ended = false;
    class AbortAfterTwoBatches extends Callback {
      override onBatchEnd(batch: number) {
        if (batch === 1) controller.abort();
      }
      override onTrainEnd() {
        ended = true;
      }
    }
    const result = await fit(tinyModel(1), { train: blobSource(64, 1) }, {
      epochs: 3, batchSize: 8, optimizer: tf.train.sgd(0.1), rng: makeRng(0),
      callbacks: [new AbortAfterTwoBatches()], signal: controller.signal,
    });
    expect(result.stopReason).toBe("interrupted");
    expect(result.history).toHaveLength(0);
    expect(ended).toBe(true);
  });

  it("restores the best weights at the end with keepBestWeights", async () => {
    const model = tinyModel(1);
    const best = keepBestWeights({ monitor: "val_loss" });
    const snapshots: number[][] = [];
    class Snapshot extends Callback {
      override async onEpochEnd() {
        snapshots.push(Array.from(await model.getWeights()[0].data()));
      }
    }
    // A huge learning rate makes later epochs worse, so the best epoch is not the last.
    await fit(model, { train: blobSource(32, 1), validation: blobSource(32, 2) }, {
      epochs: 4, batchSize: 32, optimizer: tf.train.sgd(50), rng: makeRng(0), callbacks: [new Snapshot(), best],
    });
    expect(Array.from(await model.getWeights()[0].data())).toEqual(snapshots[best.bestEpoch]);
  });

  it("leaves no tensors behind", async () => {
    const model = tinyModel(1);
    const optimizer = tf.train.adam(0.01);
    const source = blobSource(32, 1);
    await fit(model, { train: source }, { epochs: 1, batchSize: 8, optimizer, rng: makeRng(0) });
    const before = tf.memory().numTensors;
    await fit(model, { train: source, validation: source }, { epochs: 2, batchSize: 8, optimizer, rng: makeRng(0) });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("trainingLoss", () => {
  const p = () => tf.tensor2d([[0.5, 0.5], [0.9, 0.1]]);
  const y = () => tf.tensor2d([[1, 0], [0, 1]]);
  it("is the mean cross-entropy", async () => {
    const [value] = await trainingLoss(p(), y()).data();
    expect(value).toBeCloseTo((Math.log(2) - Math.log(0.1)) / 2, 5);
  });
  it("smooths the targets", async () => {
    const [value] = await trainingLoss(p(), y(), { labelSmoothing: 0.2 }).data();
    const second = -(0.1 * Math.log(0.9) + 0.9 * Math.log(0.1));
    expect(value).toBeCloseTo((Math.log(2) + second) / 2, 5);
  });
  it("weights each sample by its true class", async () => {
    const [value] = await trainingLoss(p(), y(), { classWeights: [2, 0] }).data();
    expect(value).toBeCloseTo((2 * Math.log(2)) / 2, 5);
  });
  it("adds the L2 penalty of the kernels", async () => {
    const [value] = await trainingLoss(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]]), { l2: 0.5, kernels: [tf.tensor1d([1, 2])] }).data();
    expect(value).toBeCloseTo(0.5 * 5, 5);
  });
});

describe("makeBatches", () => {
  it("keeps the last smaller batch", () => expect(makeBatches(5, 2)).toEqual([[0, 2], [2, 4], [4, 5]]));
  it("rejects a batch size of zero", () => expect(() => makeBatches(5, 0)).toThrow("Batch size 0 is not a positive integer"));
});

describe("setLearningRate", () => {
  it("changes the rate SGD and momentum actually apply", async () => {
    for (const optimizer of [tf.train.sgd(1), tf.train.momentum(1, 0)]) {
      setLearningRate(optimizer, 0.5);
      const v = tf.variable(tf.scalar(0));
      optimizer.minimize(() => v.mul(1) as tf.Scalar, false, [v]);
      expect((await v.data())[0]).toBeCloseTo(-0.5, 6);
      expect(getLearningRate(optimizer)).toBe(0.5);
    }
  });
  it("changes Adam's rate", () => {
    const adam = tf.train.adam(0.1);
    setLearningRate(adam, 0.01);
    expect(getLearningRate(adam)).toBe(0.01);
  });
});

describe("fit and the event loop", () => {
  it("lets a timer (like a Ctrl-C handler) abort training between batches", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const result = await fit(tinyModel(1), { train: blobSource(64, 1) }, {
      epochs: 50, batchSize: 4, optimizer: tf.train.sgd(0.1), rng: makeRng(0), signal: controller.signal,
    });
    expect(result.stopReason).toBe("interrupted");
    expect(result.history.length).toBeLessThan(50);
  });
});

describe("fit with a one-cycle schedule", () => {
  it("moves Adam's rate and beta1 at every step: each epoch logs its first step's rate, and training still learns", async () => {
    const model = tinyModel(5);
    const optimizer = tf.train.adam(0.05, 0.95);
    const seen: Array<[number, number]> = [];
    const spy = new (class extends Callback {
      override onBatchEnd(): void {
        const adam = optimizer as unknown as { learningRate: number; beta1: number };
        seen.push([adam.learningRate, adam.beta1]);
      }
    })();
    // 40 samples in batches of 8: 5 steps an epoch, 20 in all. The spy runs first, so it reads the rate the step used.
    const result = await fit(model, { train: blobSource(40, 1), validation: blobSource(16, 2) }, {
      epochs: 4, batchSize: 8, optimizer, rng: makeRng(0), callbacks: [spy, oneCycleSchedule({ maxLr: 0.05 })],
    });
    for (const [step, [lr, beta1]] of seen.entries()) {
      const want = oneCycleValues(step, 20, { maxLr: 0.05 });
      expect(lr).toBeCloseTo(want.lr, 12);
      expect(beta1).toBeCloseTo(want.momentum!, 12);
    }
    expect(result.history.map((epoch) => epoch.lr)).toEqual([0, 5, 10, 15].map((step) => expect.closeTo(oneCycleValues(step, 20, { maxLr: 0.05 }).lr, 12)));
    expect(result.history[3].loss).toBeLessThan(result.history[0].loss);
  });
});
