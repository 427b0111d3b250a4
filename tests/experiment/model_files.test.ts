import { beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, modelDigest, saveModel } from "../../src/experiment/model_files.ts";
import { seededDropout } from "../../src/models/seeded_dropout.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("saveModel and loadModel", () => {
  it("round-trip a model to identical predictions", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        seededDropout({ rate: 0.3, seed: 2 }),
        tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    const dir = join(await mkdtemp(join(tmpdir(), "fer-model-")), "model");
    await saveModel(model, dir);
    expect((await readdir(dir)).sort()).toEqual(["model.json", "weights.bin"]);
    const loaded = await loadModel(dir);
    const x = tf.randomUniform([2, 6, 6, 1], 0, 1, "float32", 3);
    expect(Array.from(await (loaded.predict(x) as tf.Tensor).data()))
      .toEqual(Array.from(await (model.predict(x) as tf.Tensor).data()));
  });

  it("replaces an earlier save in the same folder", async () => {
    const make = (seed: number) =>
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed }) })] });
    const dir = join(await mkdtemp(join(tmpdir(), "fer-model-")), "model");
    await saveModel(make(1), dir);
    const second = make(2);
    await saveModel(second, dir);
    const loaded = await loadModel(dir);
    expect(Array.from(await loaded.getWeights()[0].data())).toEqual(Array.from(await second.getWeights()[0].data()));
  });

  it("modelDigest is the same for the same model in two folders and changes with the weights or any file under the folder", async () => {
    const make = (seed: number) =>
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed }) })] });
    const root = await mkdtemp(join(tmpdir(), "fer-model-"));
    const model = make(1);
    await saveModel(model, join(root, "a"));
    await saveModel(model, join(root, "b"));
    await saveModel(make(2), join(root, "c"));
    const a = await modelDigest(join(root, "a"));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await modelDigest(join(root, "b"))).toBe(a);
    expect(await modelDigest(join(root, "c"))).not.toBe(a);
    // A graph layer's subfolder counts too.
    await mkdir(join(root, "b", "backbone"));
    await writeFile(join(root, "b", "backbone", "model.json"), "{}");
    expect(await modelDigest(join(root, "b"))).not.toBe(a);
    await expect(modelDigest(join(root, "missing"))).rejects.toThrow();
  });

  it("names the folder when there is no model", async () => {
    await expect(loadModel("/no/such/model")).rejects.toThrow("No model in /no/such/model: model.json is missing");
  });
});
