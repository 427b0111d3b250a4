import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { setMomentum } from "../../src/train/set_learning_rate.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Takes `steps` steps on loss = sum(w^2) / 2 (gradient w) from w = [1, -2], with `before(step)` called ahead of each. */
function train(optimizer: tf.Optimizer, steps: number, before: (step: number) => void): number[] {
  const w = tf.variable(tf.tensor1d([1, -2]));
  for (let step = 0; step < steps; step++) {
    before(step);
    optimizer.minimize(() => w.square().sum().div(2) as tf.Scalar, false, [w]);
  }
  const values = Array.from(w.dataSync());
  w.dispose();
  return values;
}

describe("setMomentum", () => {
  it("moves SGD's momentum, which tfjs's own setMomentum does not reach: the steps match an optimizer made with each value", () => {
    const moved = tf.train.momentum(0.1, 0.9);
    const got = train(moved, 3, (step) => setMomentum(moved, [0.5, 0.5, 0.2][step]));
    // Hand-computed: a <- m * a + g, w <- w - lr * a, with m 0.5, 0.5, 0.2 and g = w.
    const expected = [1, -2].map((w0) => {
      let w = w0, a = 0;
      for (const m of [0.5, 0.5, 0.2]) {
        a = m * a + w;
        w -= 0.1 * a;
      }
      return w;
    });
    for (const [i, value] of got.entries()) expect(value).toBeCloseTo(expected[i], 6);
  });

  it("moves Adam's beta1 from the next step on, the bias correction as tfjs keeps it (a running product from the first beta1)", () => {
    const adam = tf.train.adam(0.1, 0.9, 0.999, 1e-7);
    const betas = [0.9, 0.6, 0.3];
    const got = train(adam, 3, (step) => setMomentum(adam, betas[step]));
    const expected = [1, -2].map((w0) => {
      let w = w0, m = 0, v = 0, accBeta1 = 0.9, accBeta2 = 0.999;
      for (const beta1 of betas) {
        const g = w;
        m = beta1 * m + (1 - beta1) * g;
        v = 0.999 * v + 0.001 * g * g;
        w -= (0.1 * (m / (1 - accBeta1))) / (Math.sqrt(v / (1 - accBeta2)) + 1e-7);
        accBeta1 *= beta1;
        accBeta2 *= 0.999;
      }
      return w;
    });
    for (const [i, value] of got.entries()) expect(value).toBeCloseTo(expected[i], 5);
    // Against beta1 left at 0.9 the third step differs: the value was used.
    const fixed = train(tf.train.adam(0.1, 0.9, 0.999, 1e-7), 3, () => {});
    expect(Math.abs(fixed[0] - got[0])).toBeGreaterThan(1e-3);
  });

  it("moves RMSProp's momentum when it has one", () => {
    const rmsprop = tf.train.rmsprop(0.01, 0.9, 0.5);
    setMomentum(rmsprop, 0.8);
    expect((rmsprop as unknown as { momentum: number }).momentum).toBe(0.8);
  });

  it("refuses an optimizer with no momentum, saying what to do", () => {
    expect(() => setMomentum(tf.train.sgd(0.1), 0.9)).toThrow(/SGD optimizer here has no momentum.*give it momentum, or turn the schedule's momentum off/);
    expect(() => setMomentum(tf.train.rmsprop(0.1, 0.9, 0), 0.9)).toThrow("RMSProp optimizer here has no momentum");
  });
});
