// The FLOP count behind train_speed.ts's bound, on hand-computed models.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { trainingFlopsPerImage } from "../../bench/_model_flops.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("trainingFlopsPerImage", () => {
  it("counts a conv and a dense layer: forward and weight gradient for the first, plus input gradient after", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: "same" }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5 }),
      ],
    });
    const conv = 2 * 8 * 8 * 3 * 3 * 2 * 4; // per output pixel, 3x3x2 taps for each of 4 filters
    const dense = 2 * (4 * 4 * 4) * 5;
    expect(trainingFlopsPerImage(model)).toBe(conv * 2 + dense * 3);
  });

  it("counts a strided conv at its output size", () => {
    const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [9, 9, 1], filters: 2, kernelSize: 3, strides: 2 })] });
    expect(trainingFlopsPerImage(model)).toBe(2 * (2 * 4 * 4 * 3 * 3 * 1 * 2));
  });
});
