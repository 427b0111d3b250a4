import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { predictProbabilities } from "../../src/predict/predict_probabilities.ts";
import { ttaFromList } from "../../src/predict/tta_config.ts";
import type { BatchSource } from "../../src/train/batch_source.ts";
import { evaluateLoss } from "../../src/train/evaluate_loss.ts";
import { makeRng } from "../../src/core/seed.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function source(images: number[][], side: number): BatchSource {
  return {
    count: images.length,
    labels: images.map(() => 0),
    numClasses: 2,
    batch(indices) {
      const x = tf.tensor4d(indices.flatMap((i) => images[i]), [indices.length, side, side, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(indices.map(() => 0), "int32"), 2).toFloat() as tf.Tensor2D);
      return { x, y };
    },
  };
}

/** logits = (top-left pixel, top-right pixel) of a 2x2 image. */
function cornerModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: "softmax" })] });
  model.layers[1].setWeights([tf.tensor2d([[1, 0], [0, 1], [0, 0], [0, 0]]), tf.zeros([2])]);
  return model;
}

/** Global average pooling, then dense: exactly symmetric under a left-right flip. */
function symmetricModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 3, kernelSize: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

const options = { batchSize: 2, rng: makeRng(0) };

/** The source, counting the batches it has handed out. */
function countingSource(images: number[][], side: number): BatchSource & { served: number } {
  const plain = source(images, side);
  const counted = { ...plain, served: 0, batch: (indices: number[], opts: Parameters<BatchSource["batch"]>[1]) => {
    counted.served++;
    return plain.batch(indices, opts);
  } };
  return counted;
}

describe("model loops let the event loop run between batches (a second Ctrl-C acts at once)", () => {
  const images = Array.from({ length: 8 }, (_, i) => [i, 0, 0, 1]);
  for (const [name, run] of [
    ["predictProbabilities", (s: BatchSource) => predictProbabilities(cornerModel(), s, options)],
    ["evaluateLoss", (s: BatchSource) => evaluateLoss(cornerModel(), s, options)],
  ] as const) {
    it(`${name}: a timer set before the loop fires before its last batch`, async () => {
      const counted = countingSource(images, 2);
      let servedWhenTimerRan = -1;
      setTimeout(() => (servedWhenTimerRan = counted.served), 0);
      await run(counted);
      expect(counted.served).toBe(4);
      expect(servedWhenTimerRan).toBeGreaterThanOrEqual(0);
      expect(servedWhenTimerRan).toBeLessThan(4);
    });
  }
});

describe("predictProbabilities", () => {
  it("lets a stop act between the views of a batch: no batch completes after it", async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    setTimeout(() => controller.abort(), 0); // fires at the first turn the pass gives the event loop
    const pass = predictProbabilities(cornerModel(), source([[1, 0, 0, 0], [0, 1, 0, 0]], 2), {
      ...options,
      tta: ttaFromList("flip,crop"),
      signal: controller.signal,
      onProgress: (done) => progress.push(done),
    });
    await expect(pass).rejects.toThrow(/abort/i);
    expect(progress).toEqual([]); // stopped within the first batch's 12 views
  });

  it("leaves no tensor behind, with views or stopped", async () => {
    const model = cornerModel();
    const images = Array.from({ length: 5 }, (_, i) => [i, 1, 0, 0]);
    await predictProbabilities(model, source(images, 2), options); // the model's lazily made tensors, once
    const before = tf.memory().numTensors;
    await predictProbabilities(model, source(images, 2), { ...options, tta: ttaFromList("flip,crop") });
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    const stopped = predictProbabilities(model, source(images, 2), {
      ...options,
      tta: ttaFromList("flip"),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(stopped).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stops after the batch during which its signal is aborted, with the signal's reason", async () => {
    const counted = countingSource(Array.from({ length: 8 }, (_, i) => [i, 0, 0, 1]), 2);
    const controller = new AbortController();
    const reason = new Error("stop asked");
    const pass = predictProbabilities(cornerModel(), counted, {
      ...options,
      signal: controller.signal,
      onProgress: (done) => done === 4 && controller.abort(reason),
    });
    await expect(pass).rejects.toBe(reason);
    expect(counted.served).toBe(2); // of 4 batches
  });

  it("gives the model's own outputs without TTA, as evaluateLoss does", async () => {
    const images = [[1, 0, 0, 0], [0, 2, 0, 1], [3, 1, 0, 0]];
    const rows = await predictProbabilities(cornerModel(), source(images, 2), options);
    const reference = await evaluateLoss(cornerModel(), source(images, 2), options);
    expect(rows).toEqual(reference.probabilities);
  });

  it("averages over the mirror image: a hand case", async () => {
    // Image [[1, 0], [0, 0]]: softmax(1, 0) = (0.731, 0.269); mirrored softmax(0, 1); the mean is (0.5, 0.5).
    const [plain] = await predictProbabilities(cornerModel(), source([[1, 0, 0, 0]], 2), options);
    expect(plain[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    const [averaged] = await predictProbabilities(cornerModel(), source([[1, 0, 0, 0]], 2), { ...options, tta: ttaFromList("flip") });
    expect(Array.from(averaged)).toEqual([0.5, 0.5]);
  });

  it("changes nothing for a model that is exactly flip-symmetric", async () => {
    const images = [Array.from({ length: 16 }, (_, i) => i / 16), Array.from({ length: 16 }, (_, i) => ((i * 7) % 16) / 16)];
    const model = symmetricModel();
    const plain = await predictProbabilities(model, source(images, 4), options);
    const flipped = await predictProbabilities(model, source(images, 4), { ...options, tta: ttaFromList("flip") });
    plain.forEach((row, i) => row.forEach((p, c) => expect(flipped[i][c]).toBeCloseTo(p, 6)));
    // A shift moves pixels in and out, so it does change the outputs of the same model.
    const shifted = await predictProbabilities(model, source(images, 4), { ...options, tta: ttaFromList("shift") });
    expect(Math.abs(shifted[0][0] - plain[0][0])).toBeGreaterThan(1e-6);
  });

  it("leaks no tensor", async () => {
    const model = cornerModel();
    await predictProbabilities(model, source([[1, 0, 0, 0]], 2), { ...options, tta: ttaFromList("flip,shift,crop") });
    const before = tf.memory().numTensors;
    await predictProbabilities(model, source([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]], 2), { ...options, tta: ttaFromList("flip,shift,crop") });
    expect(tf.memory().numTensors).toBe(before);
  });
});
