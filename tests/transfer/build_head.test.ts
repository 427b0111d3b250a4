import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { buildHead } from "../../src/transfer/build_head.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("buildHead", () => {
  it("maps [n, 1, 1, features] to softmax probabilities over the classes", () => {
    const head = buildHead({ features: 6, numClasses: 4, seed: 1 });
    const p = head.predict(tf.ones([3, 1, 1, 6])) as tf.Tensor;
    expect(p.shape).toEqual([3, 4]);
    for (const row of p.arraySync() as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("is a single dense layer without hidden units, and adds one per hidden width", () => {
    expect(buildHead({ features: 6, numClasses: 4, seed: 1 }).layers.filter((l) => l.getClassName() === "Dense")).toHaveLength(1);
    expect(buildHead({ features: 6, numClasses: 4, seed: 1, hiddenUnits: [8, 5] }).countParams()).toBe(6 * 8 + 8 + 8 * 5 + 5 + 5 * 4 + 4);
  });

  it("gives identical initial weights for the same seed and different ones for another", () => {
    const weights = (seed: number) => buildHead({ features: 6, numClasses: 4, seed, hiddenUnits: [3] }).getWeights()[0].dataSync();
    expect(Array.from(weights(7))).toEqual(Array.from(weights(7)));
    expect(Array.from(weights(7))).not.toEqual(Array.from(weights(8)));
  });

  it("adds seeded dropout when a rate is given", () => {
    const head = buildHead({ features: 6, numClasses: 4, seed: 1, hiddenUnits: [3], dropout: 0.3 });
    expect(head.layers.map((l) => l.getClassName())).toEqual(["Flatten", "SeededDropout", "Dense", "SeededDropout", "Dense"]);
  });

  it("rejects a dropout rate of 1 with the value found", () => {
    expect(() => buildHead({ features: 6, numClasses: 4, seed: 1, dropout: 1 })).toThrow(ConfigError);
    expect(() => buildHead({ features: 6, numClasses: 4, seed: 1, dropout: 1 })).toThrow("Head dropout 1 is outside [0, 1)");
  });
});
