import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import type { EpochLogs, TrainContext } from "../../src/train/callback.ts";
import { readMonitor } from "../../src/train/callback.ts";
import { earlyStopping } from "../../src/train/early_stopping.ts";
import { reduceLrOnPlateau } from "../../src/train/reduce_lr_on_plateau.ts";
import { cosineLearningRate, cosineSchedule } from "../../src/train/cosine_schedule.ts";
import { oneCycleSchedule, oneCycleValues } from "../../src/train/one_cycle_schedule.ts";
import { formatSeconds, progressBar } from "../../src/train/progress_bar.ts";

function fakeContext(lr = 0.1): TrainContext & { lr: number; momentum: number | null } {
  const ctx = {
    model: undefined as unknown as tf.LayersModel,
    epochs: 10,
    batchesPerEpoch: 2,
    stopTraining: false,
    lr,
    momentum: null as number | null,
    getLearningRate: () => ctx.lr,
    setLearningRate: (value: number) => {
      ctx.lr = value;
    },
    setMomentum: (value: number) => {
      ctx.momentum = value;
    },
  };
  return ctx;
}
const logs = (val_loss: number): EpochLogs => ({ loss: 1, accuracy: 0.5, val_loss, val_accuracy: 0.5, lr: 0.1, seconds: 1 });

describe("earlyStopping", () => {
  it("stops at the epoch where patience runs out", () => {
    const callback = earlyStopping({ patience: 2 });
    const ctx = fakeContext();
    callback.onTrainBegin(ctx);
    const losses = [10, 9, 8, 9, 8.9, 7];
    let stoppedAt = -1;
    for (const [epoch, value] of losses.entries()) {
      callback.onEpochEnd(epoch, logs(value), ctx);
      if (ctx.stopTraining) {
        stoppedAt = epoch;
        break;
      }
    }
    expect(stoppedAt).toBe(4);
    expect(callback.best).toBe(8);
  });

  it("treats accuracy as higher-is-better in auto mode", () => {
    const callback = earlyStopping({ monitor: "val_accuracy", patience: 1 });
    const ctx = fakeContext();
    callback.onTrainBegin(ctx);
    callback.onEpochEnd(0, { ...logs(1), val_accuracy: 0.5 }, ctx);
    callback.onEpochEnd(1, { ...logs(1), val_accuracy: 0.6 }, ctx);
    expect(ctx.stopTraining).toBe(false);
    callback.onEpochEnd(2, { ...logs(1), val_accuracy: 0.55 }, ctx);
    expect(ctx.stopTraining).toBe(true);
  });

  it("resets its state when training begins again", () => {
    const callback = earlyStopping({ patience: 1 });
    const ctx = fakeContext();
    callback.onTrainBegin(ctx);
    callback.onEpochEnd(0, logs(1), ctx);
    callback.onEpochEnd(1, logs(2), ctx);
    callback.onTrainBegin(fakeContext());
    expect(callback.wait).toBe(0);
    expect(callback.best).toBe(Infinity);
  });

  it("names the available keys when the monitored metric is missing", () => {
    const callback = earlyStopping({ monitor: "val_loss" });
    const ctx = fakeContext();
    callback.onTrainBegin(ctx);
    expect(() => callback.onEpochEnd(0, { loss: 1, accuracy: 0.5, lr: 0.1, seconds: 1 }, ctx))
      .toThrow("No metric val_loss in logs; available: loss, accuracy, lr, seconds");
  });
});

describe("reduceLrOnPlateau", () => {
  it("multiplies the rate by the factor after patience epochs without improvement", () => {
    const callback = reduceLrOnPlateau({ factor: 0.5, patience: 2, minLr: 0.03 });
    const ctx = fakeContext(0.1);
    callback.onTrainBegin(ctx);
    for (const [epoch, value] of [5, 5, 5].entries()) callback.onEpochEnd(epoch, logs(value), ctx);
    expect(ctx.lr).toBeCloseTo(0.05, 12);
    for (const [epoch, value] of [5, 5].entries()) callback.onEpochEnd(epoch + 3, logs(value), ctx);
    expect(ctx.lr).toBeCloseTo(0.03, 12);
  });
  it("rejects a factor outside (0, 1)", () => {
    expect(() => reduceLrOnPlateau({ factor: 2 })).toThrow("factor 2 must be in (0, 1)");
  });
});

describe("cosineSchedule", () => {
  it("starts at the base rate and ends at the minimum", () => {
    expect(cosineLearningRate(0, 10, { baseLr: 0.1, minLr: 0.001 })).toBeCloseTo(0.1, 12);
    expect(cosineLearningRate(9, 10, { baseLr: 0.1, minLr: 0.001 })).toBeCloseTo(0.001, 12);
  });
  it("warms up linearly before decaying", () => {
    expect(cosineLearningRate(0, 10, { baseLr: 0.3, warmupEpochs: 2 })).toBeCloseTo(0.1, 12);
    expect(cosineLearningRate(1, 10, { baseLr: 0.3, warmupEpochs: 2 })).toBeCloseTo(0.2, 12);
    expect(cosineLearningRate(2, 10, { baseLr: 0.3, warmupEpochs: 2 })).toBeCloseTo(0.3, 12);
  });
  it("sets the rate through the context at each epoch start", () => {
    const ctx = fakeContext(1);
    cosineSchedule({ baseLr: 0.2 }).onEpochBegin(9, ctx);
    expect(ctx.lr).toBeCloseTo(0, 12);
  });
});

describe("oneCycleSchedule", () => {
  // Ten steps, peak 1, the rise over 30%: the peak at step 0.3 * 10 - 1 = 2 (PyTorch's OneCycleLR counts so),
  // from 1 / 25 = 0.04 up, then down to 0.04 / 1e4 = 4e-6 at step 9; momentum 0.95 -> 0.85 -> 0.95.
  it("rises along half a cosine to the peak, then falls to the first rate / finalDivisor, the momentum mirrored", () => {
    const at = (step: number) => oneCycleValues(step, 10, { maxLr: 1 });
    expect(at(0).lr).toBeCloseTo(0.04, 12);
    expect(at(0).momentum).toBeCloseTo(0.95, 12);
    expect(at(1).lr).toBeCloseTo(0.52, 12); // halfway up: (0.04 + 1) / 2
    expect(at(1).momentum).toBeCloseTo(0.9, 12);
    expect(at(2).lr).toBeCloseTo(1, 12);
    expect(at(2).momentum).toBeCloseTo(0.85, 12);
    // Step 5.5 would be halfway down; step 9 is the end.
    expect(oneCycleValues(9, 10, { maxLr: 1 }).lr).toBeCloseTo(4e-6, 15);
    expect(at(9).momentum).toBeCloseTo(0.95, 12);
    const down = (1 - Math.cos((Math.PI * 3) / 7)) / 2; // the share of the fall done by step 5
    expect(at(5).lr).toBeCloseTo(1 - down * (1 - 4e-6), 12);
    expect(at(5).momentum).toBeCloseTo(0.85 + down * 0.1, 12);
  });
  it("takes the divisors and warm-up share it is given and can leave the momentum alone", () => {
    const options = { maxLr: 0.01, warmupFraction: 0.5, initialDivisor: 10, finalDivisor: 100, momentum: null };
    expect(oneCycleValues(0, 20, options)).toEqual({ lr: expect.closeTo(0.001, 12), momentum: null });
    expect(oneCycleValues(9, 20, options).lr).toBeCloseTo(0.01, 12);
    expect(oneCycleValues(19, 20, options).lr).toBeCloseTo(1e-5, 12);
    // Steps past the end keep the last rate.
    expect(oneCycleValues(25, 20, options).lr).toBeCloseTo(1e-5, 12);
  });
  it("sets the rate and momentum before every step, and picks the cycle up at a resumed epoch", () => {
    const ctx = fakeContext();
    ctx.epochs = 5; // 10 steps of 2 batches an epoch
    const schedule = oneCycleSchedule({ maxLr: 1 });
    schedule.onEpochBegin(0, ctx);
    expect([ctx.lr, ctx.momentum]).toEqual([expect.closeTo(0.04, 12), expect.closeTo(0.95, 12)]);
    schedule.onBatchEnd(0, { loss: 1, accuracy: 0, size: 1 }, ctx);
    expect(ctx.lr).toBeCloseTo(0.52, 12);
    schedule.onBatchEnd(1, { loss: 1, accuracy: 0, size: 1 }, ctx);
    expect(ctx.lr).toBeCloseTo(1, 12); // step 2, set before the next epoch's first batch
    const resumed = oneCycleSchedule({ maxLr: 1 });
    resumed.onEpochBegin(4, ctx);
    expect(ctx.lr).toBeCloseTo(oneCycleValues(8, 10, { maxLr: 1 }).lr, 15);
    resumed.onBatchEnd(0, { loss: 1, accuracy: 0, size: 1 }, ctx);
    expect(ctx.lr).toBeCloseTo(4e-6, 15);
  });
});

describe("progressBar", () => {
  it("draws batch progress with images/s and ETA, then an epoch summary", () => {
    let out = "";
    let clock = 0;
    const bar = progressBar({ write: (t) => (out += t), now: () => clock, intervalMs: 0 });
    const ctx = fakeContext();
    bar.onEpochBegin(0);
    clock = 1000;
    bar.onBatchEnd(0, { loss: 1, accuracy: 0.5, size: 32 }, ctx);
    expect(out).toContain("epoch 1/10 [==========          ] 1/2 loss 1.0000 acc 0.5000 32 img/s ETA 1s");
    bar.onEpochEnd(0, logs(0.9), ctx);
    expect(out).toContain("val_loss 0.9000 val_acc 0.5000");
    expect(out.endsWith("\n")).toBe(true);
  });
  it("writes whole lines without a terminal: one per minute within an epoch, then the summary", () => {
    let out = "";
    let clock = 0;
    const bar = progressBar({ write: (t) => (out += t), now: () => clock, interactive: false });
    const ctx = { ...fakeContext(), batchesPerEpoch: 4 };
    bar.onEpochBegin(0);
    clock = 30_000;
    bar.onBatchEnd(0, { loss: 1, accuracy: 0.5, size: 32 }, ctx);
    expect(out).toBe("");
    clock = 61_000;
    bar.onBatchEnd(1, { loss: 1, accuracy: 0.5, size: 32 }, ctx);
    clock = 90_000;
    bar.onBatchEnd(2, { loss: 1, accuracy: 0.5, size: 32 }, ctx);
    clock = 125_000;
    bar.onBatchEnd(3, { loss: 1, accuracy: 0.5, size: 32 }, ctx);
    bar.onEpochEnd(0, logs(0.9), ctx);
    const lines = out.split("\n");
    expect(out).not.toContain("\r");
    expect(lines[0]).toMatch(/^epoch 1\/10 batch 2\/4 loss 1\.0000 acc 0\.5000 1 img\/s ETA 1m01s$/);
    expect(lines[1]).toMatch(/^epoch 1\/10 loss 1\.0000 acc 0\.5000 val_loss 0\.9000/);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
  });
  it("formats durations", () => {
    expect(formatSeconds(12)).toBe("12s");
    expect(formatSeconds(185)).toBe("3m05s");
    expect(formatSeconds(3720)).toBe("1h02m");
  });
});

describe("readMonitor", () => {
  it("returns the logged value", () => expect(readMonitor(logs(3), "val_loss")).toBe(3));
});
