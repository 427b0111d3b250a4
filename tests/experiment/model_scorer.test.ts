import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";
import type { ImageSet } from "../../src/data/image_set.ts";
import { estimatingScorer, modelScorer, type ModelScorerOptions } from "../../src/experiment/model_scorer.ts";
import { loadModel, saveModel } from "../../src/experiment/model_files.ts";
import { scoreCache } from "../../src/experiment/score_cache.ts";
import { predictProbabilities } from "../../src/predict/predict_probabilities.ts";
import { imageBatchSource } from "../../src/train/image_batch_source.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

async function savedModel(): Promise<string> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  const dir = join(await mkdtemp(join(tmpdir(), "fer-scorer-")), "model");
  await saveModel(model, dir);
  model.dispose();
  return dir;
}

function images(split: string, count: number, seed: number): ImageSet {
  const pixels = Uint8Array.from({ length: count * 36 }, (_, i) => (i * 37 + seed * 11) % 256);
  return {
    pixels,
    labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
    paths: Array.from({ length: count }, (_, i) => `${split}/c${i % 3}/${i}.png`),
    count,
    height: 6,
    width: 6,
    channels: 1,
  };
}

const flip = { horizontalFlip: true, shifts: [], crops: null };

/** A 3-class model's scorer options: predictions over the mirror, cached under `cacheDir` (none when null). */
function scorerOptions(modelDir: string, cacheDir: string | null, extra: Partial<ModelScorerOptions> = {}): ModelScorerOptions {
  return {
    purpose: "predictions",
    modelDir,
    columns: 3,
    preprocessing: "scale_0_1",
    tta: flip,
    rng: makeRng(1),
    cache: cacheDir === null ? null : scoreCache(cacheDir, "predictions"),
    scoredWith: { dataset: "d1", backend: "cpu" },
    ...extra,
  };
}

describe("modelScorer", () => {
  it("predicts as predictProbabilities does, stores each set, and a second scorer reads them back without scoring", async () => {
    const modelDir = await savedModel();
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-scorer-cache-"));
    const options = scorerOptions(modelDir, cacheDir);
    const validation = images("validation", 5, 1);
    const test = images("test", 3, 2);
    const model = await loadModel(modelDir);
    const expected = await predictProbabilities(model, imageBatchSource(validation, { numClasses: 3, preprocessing: "scale_0_1" }), {
      batchSize: 128,
      rng: makeRng(1),
      tta: flip,
    });
    model.dispose();

    const first = modelScorer(options);
    const scored: string[] = [];
    const progress: number[] = [];
    try {
      const a = await first.scores(validation, { name: "v", progress: () => (scored.push("v"), (done) => progress.push(done)) });
      expect(a.cached).toBe(false);
      expect(a.rows.map((r) => Array.from(r))).toEqual(expected.map((r) => Array.from(r)));
      expect((await first.scores(test, { name: "t", progress: () => (scored.push("t"), undefined) })).cached).toBe(false);
    } finally {
      first.dispose();
    }
    expect(scored).toEqual(["v", "t"]);
    expect(progress.at(-1)).toBe(5);
    expect((await readdir(join(cacheDir, "predictions"))).length).toBe(2);

    const second = modelScorer(options);
    try {
      const again = await second.scores(validation, { name: "v", progress: () => (scored.push("v again"), undefined) });
      expect(again.cached).toBe(true);
      expect(again.rows.map((r) => Array.from(r))).toEqual(expected.map((r) => Array.from(r)));
      expect((await second.scores(test, { name: "t", progress: () => (scored.push("t again"), undefined) })).cached).toBe(true);
    } finally {
      second.dispose();
    }
    expect(scored).toEqual(["v", "t"]);

    // Other views, or another dataset fingerprint, are other scores.
    for (const other of [{ ...options, tta: null }, { ...options, scoredWith: { dataset: "d2", backend: "cpu" } }]) {
      const scorer = modelScorer(other);
      try {
        expect((await scorer.scores(validation, { name: "v" })).cached).toBe(false);
      } finally {
        scorer.dispose();
      }
    }
  });

  it("scores every time without a cache, and says a model folder it cannot load", async () => {
    const modelDir = await savedModel();
    const options = scorerOptions(modelDir, null, { purpose: "teachers", tta: null, rng: makeRng(0), scoredWith: {} });
    const set = images("train", 4, 3);
    for (let i = 0; i < 2; i++) {
      const scorer = modelScorer(options);
      try {
        const { rows, cached } = await scorer.scores(set, { name: "t" });
        expect(cached).toBe(false);
        expect(rows.length).toBe(4);
        for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      } finally {
        scorer.dispose();
      }
    }
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-scorer-cache-"));
    const missing = modelScorer({ ...options, modelDir: join(modelDir, "..", "gone"), cache: scoreCache(cacheDir, "teachers") });
    await expect(missing.scores(set, { name: "t" })).rejects.toThrow();
    missing.dispose();
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("estimates a set: nothing when its scores are cached, else the model timed on a sample, scaled to all the images", async () => {
    const modelDir = await savedModel();
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-scorer-cache-"));
    const options = scorerOptions(modelDir, cacheDir);
    const set = images("validation", 40, 5);
    // A clock that moves 2 s each time it is read: the timed pass over 10 of the 40 images takes 2 s.
    let now = 0;
    const clock = () => (now += 2000);
    const scorer = modelScorer(options);
    try {
      expect(await scorer.estimate(set, { sample: 10, clock })).toEqual({ images: 40, views: 2, how: "timed", seconds: 8 });
      expect(await readdir(cacheDir)).toEqual([]); // an estimate stores nothing
      await scorer.scores(set, { name: "v" });
      expect(await scorer.estimate(set, { sample: 10, clock })).toEqual({ images: 40, views: 2, how: "cached", seconds: 0 });
    } finally {
      scorer.dispose();
    }
  });
});

describe("estimatingScorer", () => {
  it("records each set's estimate under its pass's name and returns rows of equal probabilities, storing nothing", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-scorer-cache-"));
    const parts: { name: string; how: string; images: number }[] = [];
    const make = estimatingScorer((part) => parts.push({ name: part.name, how: part.how, images: part.images }), { sample: 4 });
    const scorer = make(scorerOptions(await savedModel(), cacheDir, { tta: null }));
    try {
      const { rows, cached } = await scorer.scores(images("test", 6, 1), { name: "Member 0, test" });
      expect(cached).toBe(false);
      expect(rows.map((r) => Array.from(r))).toEqual(Array.from({ length: 6 }, () => [1 / 3, 1 / 3, 1 / 3].map(Math.fround)));
    } finally {
      scorer.dispose();
    }
    expect(parts).toEqual([{ name: "Member 0, test", how: "timed", images: 6 }]);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
