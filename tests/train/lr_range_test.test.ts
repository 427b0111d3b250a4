import { describe, expect, it } from "vitest";
import type * as tf from "@tensorflow/tfjs";
import { LrRangeTest, lrRangeRate, type LrRangePoint, suggestLearningRate } from "../../src/train/lr_range_test.ts";
import type { TrainContext } from "../../src/train/callback.ts";

function context(): TrainContext & { lr: number } {
  const ctx = {
    model: undefined as unknown as tf.LayersModel,
    epochs: 1,
    batchesPerEpoch: 100,
    stopTraining: false,
    lr: 0,
    getLearningRate: () => ctx.lr,
    setLearningRate: (value: number) => {
      ctx.lr = value;
    },
    setMomentum: () => {},
  };
  return ctx;
}

const batch = (loss: number, penalty = 0) => ({ loss, penalty, accuracy: 0, size: 8 });

describe("lrRangeRate", () => {
  it("goes from the first rate to the last in equal ratios", () => {
    const range = { minLr: 1e-6, maxLr: 1, steps: 7 };
    expect(lrRangeRate(0, range)).toBeCloseTo(1e-6, 18);
    expect(lrRangeRate(3, range) / 1e-3).toBeCloseTo(1, 12);
    expect(lrRangeRate(6, range)).toBeCloseTo(1, 12);
    expect(lrRangeRate(9, range)).toBeCloseTo(1, 12);
  });
});

describe("LrRangeTest", () => {
  it("sets the first rate, raises it after each step, and smooths the loss with a bias-corrected average", () => {
    let stops = 0;
    const test = new LrRangeTest({ minLr: 1e-4, maxLr: 1e-2, steps: 3, smoothing: 0.5 }, () => stops++);
    const ctx = context();
    test.onTrainBegin(ctx);
    expect(ctx.lr).toBeCloseTo(1e-4, 15);
    test.onBatchEnd(0, batch(2), ctx);
    expect(ctx.lr).toBeCloseTo(1e-3, 15);
    test.onBatchEnd(1, batch(1), ctx);
    test.onBatchEnd(2, batch(1), ctx);
    // Averages: 0.5 * 2 = 1, over 1 - 0.5 = 2; (0.5 * 1 + 0.5 * 1) / 0.75 = 4/3; (0.5 * 1 + 0.5) / 0.875 = 8/7.
    expect(test.points.map((p) => p.smoothedLoss)).toEqual([2, expect.closeTo(4 / 3, 12), expect.closeTo(8 / 7, 12)]);
    expect(test.points.map((p) => p.lr)).toEqual([expect.closeTo(1e-4, 15), expect.closeTo(1e-3, 15), expect.closeTo(1e-2, 15)]);
    expect([test.ended, stops]).toEqual(["completed", 1]);
    // Steps after the end (the batch the fit loop finishes) are not recorded.
    test.onBatchEnd(3, batch(1), ctx);
    expect(test.points).toHaveLength(3);
  });

  it("records the data's loss, the L2 penalty taken out of the batch loss and kept beside it", () => {
    const test = new LrRangeTest({ minLr: 1e-4, maxLr: 1e-2, steps: 3, smoothing: 0.5 }, () => {});
    const ctx = context();
    test.onBatchEnd(0, batch(2.25, 0.25), ctx);
    test.onBatchEnd(1, batch(1.5, 0.5), ctx);
    expect(test.points.map((p) => [p.loss, p.penalty])).toEqual([[2, 0.25], [1, 0.5]]);
    // The average is of the data's losses: (0.5 * 2 * 0.5 + 0.5 * 1) / 0.75 = 4/3.
    expect(test.points[1].smoothedLoss).toBeCloseTo(4 / 3, 12);
  });

  it("stops once the smoothed loss passes divergeFactor times its lowest, or is not finite", () => {
    let stops = 0;
    const test = new LrRangeTest({ minLr: 1e-4, maxLr: 1, steps: 100, smoothing: 0, divergeFactor: 4 }, () => stops++);
    const ctx = context();
    for (const [i, loss] of [1, 0.5, 1.9, 2.1].entries()) test.onBatchEnd(i, batch(loss), ctx);
    expect([test.ended, stops, test.points.length]).toEqual(["diverged", 1, 4]);
    const nan = new LrRangeTest({ minLr: 1e-4, maxLr: 1, steps: 100 }, () => {});
    nan.onBatchEnd(0, batch(Number.NaN), ctx);
    expect(nan.ended).toBe("diverged");
  });

  it("refuses a range that does not rise, or fewer than two steps", () => {
    expect(() => new LrRangeTest({ minLr: 1e-2, maxLr: 1e-3, steps: 10 }, () => {})).toThrow("The range test needs 0 < min rate < max rate; got 0.01 and 0.001");
    expect(() => new LrRangeTest({ minLr: 1e-4, maxLr: 1e-3, steps: 1 }, () => {})).toThrow("The range test needs a whole number of steps, 2 or more; got 1");
  });
});

describe("suggestLearningRate", () => {
  it("gives the rate of the lowest loss, that over ten, and where the loss fell fastest before it", () => {
    // Rates 1e-5 ... 1e0, one decade apart; the loss falls slowly, then fast between 1e-3 and 1e-2, is lowest at 1e-1.
    const losses = [2.0, 1.99, 1.98, 1.5, 1.2, 3.0];
    const points: LrRangePoint[] = losses.map((loss, step) => ({ step, lr: 10 ** (step - 5), loss, penalty: 0, smoothedLoss: loss }));
    const suggestion = suggestLearningRate(points);
    expect(suggestion.minimum).toBeCloseTo(0.1, 15);
    expect(suggestion.minimumOverTen).toBeCloseTo(0.01, 15);
    expect(suggestion.lowestLoss).toBe(1.2);
    expect(suggestion.steepest).toBeCloseTo(1e-2, 15);
    // Falling from 1e-5 to 1e-1 (the first tenth of six points is none): halfway, 1e-3.
    expect(suggestion.valley).toBeCloseTo(1e-3, 15);
    // The first tenth of six points is the first one (2.0): the lowest, 1.2, is 40% below it.
    expect(suggestion.fall).toBeCloseTo(0.4, 12);
    expect(suggestion.noCeiling).toBe(false);
  });
  it("takes each slope over a twentieth of the points, so a one-step dip does not outweigh a steady steep fall", () => {
    // 40 points a tenth of a decade apart: the loss falls 0.01 a step, 0.05 a step over steps 21-30, and dips 0.06 at step 6 alone.
    let loss = 2;
    const points: LrRangePoint[] = Array.from({ length: 40 }, (_, step) => {
      if (step > 0) loss -= step >= 21 && step <= 30 ? 0.05 : 0.01;
      const smoothedLoss = step === 6 ? loss - 0.06 : loss;
      return { step, lr: 10 ** (step / 10 - 4), loss: smoothedLoss, penalty: 0, smoothedLoss };
    });
    const suggestion = suggestLearningRate(points);
    // Over two points the dip gives -0.08 / 0.2 decades; the fall -0.10: the steepest point is inside it.
    expect(suggestion.steepest).toBeGreaterThan(10 ** (21 / 10 - 4) - 1e-12);
    expect(suggestion.steepest).toBeLessThan(10 ** (30 / 10 - 4) + 1e-12);
    // The loss is lowest at the last point: no ceiling found.
    expect(suggestion.noCeiling).toBe(true);
  });
  it("looks for the lowest loss after the first tenth of the points, where one batch's loss can be lowest by chance", () => {
    // 20 points: the first is a young average at 1.0; then 2.0 falling 0.05 a step to 1.25 at step 15, rising after.
    const losses = [1.0, ...Array.from({ length: 15 }, (_, i) => 1.95 - 0.05 * i), 1.4, 1.6, 1.8, 2.0];
    const points: LrRangePoint[] = losses.map((loss, step) => ({ step, lr: 10 ** (step / 4 - 5), loss, penalty: 0, smoothedLoss: loss }));
    const suggestion = suggestLearningRate(points);
    expect(suggestion.minimum).toBeCloseTo(10 ** (15 / 4 - 5), 15);
    expect(suggestion.noCeiling).toBe(false);
  });
  it("takes no slope with an end in the first tenth, where the young average settles", () => {
    // 40 points (the first tenth: 4; slopes over 2): the average settles from 2.6 to 2.0 by step 4, then the loss
    // falls 0.01 a step, 0.04 a step over steps 20-25, and rises after step 30.
    const losses = Array.from({ length: 40 }, (_, step) => {
      if (step <= 4) return 2.6 - 0.15 * step;
      const falls = Math.min(step, 30) - 4 + 3 * Math.max(0, Math.min(step, 25) - 19);
      return 2.0 - 0.01 * falls + (step > 30 ? 0.1 * (step - 30) : 0);
    });
    const points: LrRangePoint[] = losses.map((loss, step) => ({ step, lr: 10 ** (step / 10 - 4), loss, penalty: 0, smoothedLoss: loss }));
    const steepest = suggestLearningRate(points).steepest!;
    expect(steepest).toBeGreaterThan(10 ** (20 / 10 - 4) - 1e-12);
    expect(steepest).toBeLessThan(10 ** (26 / 10 - 4) + 1e-12);
  });
  it("takes the valley halfway along the longest falling run of losses, skipping the points that rise within it", () => {
    // 21 points a tenth of a decade apart (the first tenth: 2 skipped). The loss falls from step 4 to step 16, with
    // two noisy points (8, 12) above their neighbours, and rises after; a steep dip at steps 2-3 is too short to count.
    const losses = [3.0, 2.9, 2.0, 1.9, 2.8, 2.7, 2.6, 2.5, 2.55, 2.3, 2.2, 2.1, 2.15, 1.9, 1.8, 1.7, 1.6, 1.9, 2.5, 3.2, 4.0];
    const points: LrRangePoint[] = losses.map((loss, step) => ({ step, lr: 10 ** (step / 10 - 4), loss, penalty: 0, smoothedLoss: loss }));
    // The longest decreasing subsequence from step 2 on: 2.8 (4) ... 1.6 (16) leaving out 8 and 12, eleven points;
    // 2.0, 1.9 (2, 3) then 1.8, 1.7, 1.6 is shorter. Halfway from step 4 to 16: step 10.
    expect(suggestLearningRate(points).valley).toBeCloseTo(10 ** (10 / 10 - 4), 15);
  });
  it("has no steepest fall or valley when the loss never falls, and refuses points with no finite loss", () => {
    const points: LrRangePoint[] = [1, 2, 3].map((loss, step) => ({ step, lr: 10 ** -step, loss, penalty: 0, smoothedLoss: loss }));
    expect(suggestLearningRate(points).steepest).toBeNull();
    expect(suggestLearningRate(points).valley).toBeNull();
    expect(() => suggestLearningRate([{ step: 0, lr: 1, loss: Number.NaN, penalty: 0, smoothedLoss: Number.NaN }])).toThrow("no finite loss");
  });
});
