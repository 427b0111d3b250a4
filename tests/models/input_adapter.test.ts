import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { loadModel, saveModel } from "../../src/experiment/model_files.ts";
import { inputAdapter } from "../../src/models/input_adapter.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const run = (layer: tf.layers.Layer, values: number[], shape: [number, number, number, number]) =>
  Array.from((layer.apply(tf.tensor4d(values, shape)) as tf.Tensor).dataSync());

describe("inputAdapter", () => {
  it("replicates a gray pixel to three channels and normalises each channel with its own mean and std", () => {
    const layer = inputAdapter({ size: 1, channels: 3, inputScale: 1, mean: [10, 20, 30], std: [2, 4, 5] });
    expect(run(layer, [50], [1, 1, 1, 1])).toEqual([20, 7.5, 4]);
  });

  it("scales [0, 1] inputs back to 0..255 before normalising", () => {
    const layer = inputAdapter({ size: 1, channels: 1, inputScale: 255, mean: [127.5], std: [127.5] });
    const out = run(layer, [0, 0.5, 1, 1], [4, 1, 1, 1]);
    expect(out[0]).toBeCloseTo(-1, 6);
    expect(out[1]).toBeCloseTo(0, 6);
    expect(out[2]).toBeCloseTo(1, 6);
  });

  it("upsamples bilinearly with half-pixel centres: a 2x2 ramp gives the hand-computed 4x4", () => {
    // v(y, x) = 8y + 4x; sampling points per axis map to 0, 0.25, 0.75, 1 of the input step.
    const layer = inputAdapter({ size: 4, channels: 1, inputScale: 1, mean: [0], std: [1] });
    const steps = [0, 0.25, 0.75, 1];
    const expected = steps.flatMap((y) => steps.map((x) => 8 * y + 4 * x));
    const out = run(layer, [0, 4, 8, 12], [1, 2, 2, 1]);
    out.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
  });

  it("upsamples the same way on the wasm backend, which transfer runs use by default", async () => {
    await selectBackend("wasm");
    try {
      const layer = inputAdapter({ size: 4, channels: 1, inputScale: 1, mean: [0], std: [1] });
      const steps = [0, 0.25, 0.75, 1];
      const expected = steps.flatMap((y) => steps.map((x) => 8 * y + 4 * x));
      run(layer, [0, 4, 8, 12], [1, 2, 2, 1]).forEach((value, i) => expect(value).toBeCloseTo(expected[i], 5));
    } finally {
      await tf.setBackend("cpu");
    }
  });

  it("leaves an image already at the target size unchanged", () => {
    const layer = inputAdapter({ size: 2, channels: 1, inputScale: 1, mean: [0], std: [1] });
    expect(run(layer, [1, 2, 3, 4], [1, 2, 2, 1])).toEqual([1, 2, 3, 4]);
  });

  it("averages a three-channel input into one channel", () => {
    const layer = inputAdapter({ size: 1, channels: 1, inputScale: 1, mean: [0], std: [1] });
    expect(run(layer, [30, 60, 90], [1, 1, 1, 3])).toEqual([60]);
  });

  it("rejects a mean list that does not match the channel count", () => {
    expect(() => inputAdapter({ size: 4, channels: 3, inputScale: 1, mean: [0], std: [1, 1, 1] })).toThrow(ConfigError);
  });

  it("survives a save and load inside a model, with the same output", async () => {
    const input = tf.input({ shape: [3, 3, 1] });
    const output = inputAdapter({ size: 5, channels: 3, inputScale: 255, mean: [1, 2, 3], std: [4, 5, 6] }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const dir = join(await mkdtemp(join(tmpdir(), "fer-adapter-")), "model");
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const x = tf.randomUniform([2, 3, 3, 1], 0, 1, "float32", 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    expect(loaded.getLayer(model.layers[1].name).getConfig()).toMatchObject({ size: 5, channels: 3, inputScale: 255, mean: [1, 2, 3], std: [4, 5, 6] });
  });
});
