import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { makeImageSet } from "../../src/data/image_set.ts";
import { makeRng } from "../../src/core/seed.ts";
import { featureCache } from "../../src/transfer/feature_cache.ts";
import { splitFeatures } from "../../src/transfer/split_features.ts";
import { tempDir } from "./transfer_fixtures.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// 5 images of 4x4 gray; the extractor returns each image's mean and max.
const set = makeImageSet(
  {
    pixels: Uint8Array.from({ length: 5 * 16 }, (_, i) => (i * 37) % 256),
    labels: Uint8Array.of(0, 1, 0, 1, 1),
    paths: ["a", "b", "c", "d", "e"],
  },
  { height: 4, width: 4, channels: 1 },
);
function extractor(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  const mean = tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor;
  const max = tf.layers.globalMaxPooling2d({}).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: tf.layers.concatenate().apply([mean, max]) as tf.SymbolicTensor });
}
const options = { numClasses: 2, preprocessing: "none" as const, rng: makeRng(0), batchSize: 2 };

describe("splitFeatures", () => {
  it("computes one row per image in set order, over every batch", async () => {
    const { matrix, cached } = await splitFeatures(extractor(), set, { ...options, cache: null, key: "k" });
    expect(cached).toBe(false);
    expect([matrix.rows, matrix.columns]).toEqual([5, 2]);
    for (let i = 0; i < 5; i++) {
      const image = Array.from(set.pixels.subarray(i * 16, (i + 1) * 16));
      expect(matrix.values[2 * i]).toBeCloseTo(image.reduce((a, b) => a + b, 0) / 16, 3);
      expect(matrix.values[2 * i + 1]).toBe(Math.max(...image));
    }
  });

  it("reads the second request for the same key from the cache, with identical values", async () => {
    const cache = featureCache(await tempDir("split-features"));
    const first = await splitFeatures(extractor(), set, { ...options, cache, key: "k" });
    const second = await splitFeatures(extractor(), set, { ...options, cache, key: "k" });
    expect(second.cached).toBe(true);
    expect(Array.from(second.matrix.values)).toEqual(Array.from(first.matrix.values));
  });

  it("blurs the inputs when asked, which lowers the maximum of a sharp image", async () => {
    const sharp = await splitFeatures(extractor(), set, { ...options, cache: null, key: "k" });
    const blurred = await splitFeatures(extractor(), set, { ...options, cache: null, key: "k", blurSigma: 1 });
    expect(blurred.matrix.values[1]).toBeLessThan(sharp.matrix.values[1]);
  });

  it("reports progress after each batch", async () => {
    const seen: number[] = [];
    await splitFeatures(extractor(), set, { ...options, cache: null, key: "k", onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([2, 4, 5]);
  });
});
