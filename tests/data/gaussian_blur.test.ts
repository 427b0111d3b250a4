import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { gaussianBlur, gaussianKernel } from "../../src/data/gaussian_blur.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("gaussianKernel", () => {
  it("is symmetric, peaks in the middle and sums to 1", () => {
    const k = gaussianKernel(1.5);
    expect(k).toHaveLength(11);
    expect(k[0]).toBeCloseTo(k[10], 15);
    expect(Math.max(...k)).toBe(k[5]);
    expect(k.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });
});

describe("gaussianBlur", () => {
  it("keeps a constant image constant, borders included", async () => {
    const out = await gaussianBlur(tf.fill([2, 9, 7, 3], 0.4) as tf.Tensor4D, 2).data();
    for (const v of out) expect(v).toBeCloseTo(0.4, 5);
  });

  it("spreads a single bright pixel into the hand-computed separable Gaussian", async () => {
    const image = tf.buffer([1, 9, 9, 1]);
    image.set(1, 0, 4, 4, 0);
    const out = await gaussianBlur(image.toTensor() as tf.Tensor4D, 0.8).array();
    const k = gaussianKernel(0.8); // radius 3, fits inside the 9x9 image without touching the border
    expect(out[0][4][4][0]).toBeCloseTo(k[3] * k[3], 6);
    expect(out[0][3][4][0]).toBeCloseTo(k[2] * k[3], 6);
    expect(out[0][2][6][0]).toBeCloseTo(k[1] * k[5], 6);
  });

  it("lowers the adjacent-pixel difference of a checkerboard", async () => {
    const board = tf.tensor4d(Array.from({ length: 64 }, (_, i) => ((i >> 3) + i) % 2), [1, 8, 8, 1]);
    const out = await gaussianBlur(board, 1).data();
    const spread = Math.max(...out) - Math.min(...out);
    expect(spread).toBeLessThan(0.2);
  });

  it("returns a copy when sigma is 0", async () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(await gaussianBlur(x, 0).data())).toEqual([1, 2, 3, 4]);
  });

  it("leaves no tensors behind", () => {
    const x = tf.ones([1, 6, 6, 1]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    gaussianBlur(x, 1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
