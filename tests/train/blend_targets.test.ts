import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { blendTargets } from "../../src/train/blend_targets.ts";
import type { BatchSource } from "../../src/train/batch_source.ts";
import { makeRng } from "../../src/core/seed.ts";

/** Three one-pixel samples with labels 0, 1, 2 of three classes; disposals are counted. */
function source(): BatchSource & { disposed: () => number } {
  const labels = new Uint8Array([0, 1, 2]);
  const made: tf.Tensor[] = [];
  return {
    count: 3,
    labels,
    numClasses: 3,
    batch(indices) {
      const x = tf.tensor4d(indices.map((i) => i), [indices.length, 1, 1, 1]);
      const y = tf.oneHot(tf.tensor1d(indices.map((i) => labels[i]), "int32"), 3).toFloat() as tf.Tensor2D;
      made.push(x, y);
      return { x, y };
    },
    disposed: () => made.filter((t) => t.isDisposed).length,
  };
}

describe("blendTargets", () => {
  const rows = new Float32Array([0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.5, 0.25, 0.25]);

  it("blends each training sample's label with its own row, in batch order", async () => {
    await tf.setBackend("cpu");
    const blended = blendTargets(source(), rows, 0.25);
    const { x, y } = blended.batch([2, 0], { training: true, rng: makeRng(1) });
    // Sample 2: 0.75 * [0, 0, 1] + 0.25 * [0.5, 0.25, 0.25]; sample 0: 0.75 * [1, 0, 0] + 0.25 * [0.6, 0.3, 0.1].
    const values = y.arraySync();
    expect(values[0][0]).toBeCloseTo(0.125, 6);
    expect(values[0][1]).toBeCloseTo(0.0625, 6);
    expect(values[0][2]).toBeCloseTo(0.8125, 6);
    expect(values[1][0]).toBeCloseTo(0.9, 6);
    expect(values[1][1]).toBeCloseTo(0.075, 6);
    expect(values[1][2]).toBeCloseTo(0.025, 6);
    expect(x.arraySync().flat(3)).toEqual([2, 0]);
    tf.dispose([x, y]);
  });

  it("keeps the plain labels for evaluation batches and the label list as it is", async () => {
    await tf.setBackend("cpu");
    const inner = source();
    const blended = blendTargets(inner, rows, 1);
    expect(blended.labels).toBe(inner.labels);
    expect(blended.count).toBe(3);
    const { x, y } = blended.batch([1], { training: false, rng: makeRng(1) });
    expect(y.arraySync()).toEqual([[0, 1, 0]]);
    tf.dispose([x, y]);
  });

  it("disposes the one-hot targets it replaces", async () => {
    await tf.setBackend("cpu");
    const inner = source();
    const { x, y } = blendTargets(inner, rows, 0.5).batch([0, 1], { training: true, rng: makeRng(1) });
    expect(inner.disposed()).toBe(1);
    tf.dispose([x, y]);
  });

  it("refuses rows that do not cover every sample and a weight outside (0, 1]", () => {
    expect(() => blendTargets(source(), rows.subarray(0, 6), 0.5)).toThrow(/needs 3 rows of 3 probabilities \(9 values\), got 6/);
    expect(() => blendTargets(source(), rows, 0)).toThrow(/weight must be in \(0, 1\], got 0/);
    expect(() => blendTargets(source(), rows, 1.5)).toThrow(/got 1.5/);
  });
});
