import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { mixBatch, sampleBeta } from "../../src/train/mix_batch.ts";
import { fit } from "../../src/train/fit.ts";
import { blobSource } from "./_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** n images of 4x5x1 whose every pixel is the sample's index (so a pixel names its source). */
function indexImages(n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.tensor4d(Array.from({ length: n * 20 }, (_, i) => Math.floor(i / 20)), [n, 4, 5, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), "int32"), 3).toFloat() as tf.Tensor2D;
  return { x, y };
}

describe("sampleBeta", () => {
  it("matches Beta(alpha, alpha)'s mean 1/2 and variance 1/(4(2 alpha + 1)) for alpha below and above 1", () => {
    for (const alpha of [0.2, 1, 4]) {
      const rng = makeRng(11);
      const samples = Array.from({ length: 20000 }, () => sampleBeta(alpha, rng));
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...samples)).toBeLessThanOrEqual(1);
      expect(mean).toBeCloseTo(0.5, 1);
      expect(variance).toBeCloseTo(1 / (4 * (2 * alpha + 1)), 2);
    }
  });
});

describe("mixBatch", () => {
  it("mixup blends each image and target with its partner's by one lambda", () => {
    const { x, y } = indexImages(6);
    const mixed = mixBatch(x, y, { name: "mixup", alpha: 0.4, probability: 1 }, makeRng(3));
    const l = mixed.lambda;
    expect(l).toBeGreaterThan(0);
    expect(l).toBeLessThan(1);
    expect([...mixed.partner].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const pixels = mixed.x.arraySync() as number[][][][];
    const targets = mixed.y.arraySync();
    const plain = y.arraySync();
    for (let i = 0; i < 6; i++) {
      const j = mixed.partner[i];
      expect(pixels[i][2][3][0]).toBeCloseTo(l * i + (1 - l) * j, 5);
      for (let c = 0; c < 3; c++) expect(targets[i][c]).toBeCloseTo(l * plain[i][c] + (1 - l) * plain[j][c], 6);
      expect(targets[i].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    expect(mixed.box).toBeNull();
    tf.dispose([x, y, mixed.x, mixed.y]);
  });

  it("cutmix pastes the partner's box and weighs targets by the pixels each image kept", () => {
    const { x, y } = indexImages(5);
    for (let seed = 0; seed < 20; seed++) {
      const mixed = mixBatch(x, y, { name: "cutmix", alpha: 1, probability: 1 }, makeRng(seed));
      const box = mixed.box!;
      const pixels = mixed.x.arraySync() as number[][][][];
      let partnerPixels = 0;
      for (let row = 0; row < 4; row++) {
        for (let column = 0; column < 5; column++) {
          const inside = row >= box.top && row < box.bottom && column >= box.left && column < box.right;
          if (inside) partnerPixels++;
          for (let i = 0; i < 5; i++) expect(pixels[i][row][column][0]).toBe(inside ? mixed.partner[i] : i);
        }
      }
      expect(mixed.lambda).toBeCloseTo(1 - partnerPixels / 20, 6);
      const targets = mixed.y.arraySync();
      const plain = y.arraySync();
      for (let i = 0; i < 5; i++) {
        const j = mixed.partner[i];
        for (let c = 0; c < 3; c++) expect(targets[i][c]).toBeCloseTo(mixed.lambda * plain[i][c] + (1 - mixed.lambda) * plain[j][c], 6);
      }
      tf.dispose([mixed.x, mixed.y]);
    }
    tf.dispose([x, y]);
  });

  it("leaves a batch as it was with probability 1 - p, and is the same for the same seed", () => {
    const { x, y } = indexImages(4);
    const never = mixBatch(x, y, { name: "mixup", alpha: 1, probability: 0 }, makeRng(1));
    expect(never.lambda).toBe(1);
    expect(never.x.arraySync()).toEqual(x.arraySync());
    const draw = (seed: number) => {
      const rng = makeRng(seed);
      return Array.from({ length: 200 }, () => {
        const m = mixBatch(x, y, { name: "cutmix", alpha: 1, probability: 0.3 }, rng);
        tf.dispose([m.x, m.y]);
        return m.lambda;
      });
    };
    const lambdas = draw(5);
    const mixedShare = lambdas.filter((l) => l < 1).length / lambdas.length;
    expect(mixedShare).toBeGreaterThan(0.2);
    expect(mixedShare).toBeLessThan(0.4);
    expect(draw(5)).toEqual(lambdas);
    tf.dispose([x, y, never.x, never.y]);
  });

  it("refuses CutMix on feature vectors with an error that says what to use", () => {
    const x = tf.zeros([4, 8]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], "int32"), 2).toFloat() as tf.Tensor2D;
    expect(() => mixBatch(x, y, { name: "cutmix", alpha: 1, probability: 1 }, makeRng(0))).toThrow(ConfigError);
    expect(() => mixBatch(x, y, { name: "cutmix", alpha: 1, probability: 1 }, makeRng(0))).toThrow('use "mixup"');
    tf.dispose([x, y]);
  });
});

describe("fit with a mix", () => {
  it("trains with mixed batches, changes the weights it reaches, leaks no tensors and is reproducible", async () => {
    const train = async (mix: "mixup" | "cutmix" | null) => {
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [2, 2, 1] }),
          tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      const optimizer = tf.train.sgd(0.2);
      const before = tf.memory().numTensors;
      const result = await fit(model, { train: blobSource(48, 9), validation: blobSource(16, 10) }, {
        epochs: 4, batchSize: 8, optimizer, rng: makeRng(4), mix: mix && { name: mix, alpha: 1, probability: 1 },
      });
      expect(tf.memory().numTensors).toBe(before);
      const weights = Array.from(await model.getWeights()[0].data());
      model.dispose();
      optimizer.dispose();
      return { weights, accuracy: result.history.at(-1)!.val_accuracy! };
    };
    const plain = await train(null);
    const mixup = await train("mixup");
    const cutmix = await train("cutmix");
    expect(mixup.accuracy).toBeGreaterThan(0.8);
    expect(cutmix.accuracy).toBeGreaterThan(0.8);
    expect(mixup.weights).not.toEqual(plain.weights);
    expect(cutmix.weights).not.toEqual(mixup.weights);
    expect((await train("mixup")).weights).toEqual(mixup.weights);
  });
});
