// The builders' batch-norm layer against tfjs-layers' BatchNormalization: same
// training output, gradients and moving averages; same saved form.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { batchNormalization, FastBatchNormalization } from "../../src/models/batch_normalization.ts";
import { relativeError } from "../backend/backend_parity.ts";
import { PARITY_BACKENDS } from "../backend/parity_backends.ts";
import { selectBackend } from "../../src/backend/select_backend.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/**
 * A conv -> batch norm -> dense model whose batch-norm layer comes from
 * `makeBatchNorm`; weights seeded. The conv has no bias: batch norm removes
 * it, so its gradient is zero up to rounding, which differs between the two
 * formulations (about 1e-9 against 1e-9).
 */
function model(makeBatchNorm: () => tf.layers.Layer): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 3, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      makeBatchNorm(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

/** The same for a dense -> batch norm model: rank-2 batches, as in the VGG head. */
function denseModel(makeBatchNorm: () => tf.layers.Layer): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [6, 6, 2] }),
      tf.layers.dense({ units: 4, useBias: false, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      makeBatchNorm(),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
}

/** Two SGD steps in training mode; returns the loss, then every weight (moving statistics included). */
async function trainTwice(net: tf.Sequential, batch = 5): Promise<Float32Array[]> {
  const x = tf.randomNormal([batch, 6, 6, 2], 1, 2, "float32", 3);
  const target = tf.randomNormal([batch, 2], 0, 1, "float32", 4);
  const optimizer = tf.train.sgd(0.1);
  let loss = 0;
  for (let step = 0; step < 2; step++) {
    const cost = optimizer.minimize(
      () => tf.losses.meanSquaredError(target, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    loss += (await cost.data())[0];
    cost.dispose();
  }
  const weights = await Promise.all(net.getWeights().map(async (w) => await w.data() as Float32Array));
  tf.dispose([x, target]);
  optimizer.dispose();
  return [Float32Array.of(loss), ...weights];
}

describe("batchNormalization", () => {
  const cases = ["cpu", ...PARITY_BACKENDS].flatMap((backend) => [
    [backend, "conv", model, 5],
    [backend, "dense", denseModel, 5],
    [backend, "dense, batch of one", denseModel, 1],
  ] as const);
  it.each(cases)("trains like tfjs-layers' BatchNormalization on %s (%s): loss, weights, moving statistics", async (backend, _label, build, batch) => {
    await selectBackend(backend);
    const expected = await trainTwice(build(() => tf.layers.batchNormalization({ momentum: 0.9 })), batch);
    const actual = await trainTwice(build(() => batchNormalization({ momentum: 0.9 })), batch);
    expect(actual.length).toBe(expected.length);
    // The moving mean moved away from its initial 0 (with one image per batch too).
    expect(Array.from(actual[4]).some((v) => v !== 0)).toBe(true);
    const errors = expected.map((e, i) => relativeError(actual[i], e));
    expect(Math.max(...errors)).toBeLessThan(1e-5);
    await tf.setBackend("cpu");
  });

  it("runs the fused op in training and tfjs-layers' path in inference", async () => {
    const layer = batchNormalization();
    const x = tf.randomNormal([4, 3, 3, 2], 0, 1, "float32", 5);
    layer.apply(x); // builds the weights
    const reference = tf.layers.batchNormalization();
    reference.apply(x);
    reference.setWeights(layer.getWeights().map((w) => w.add(1)));
    layer.setWeights(reference.getWeights());
    const inference = await Promise.all([layer, reference].map((l) => (l.apply(x, { training: false }) as tf.Tensor).data()));
    expect(Array.from(inference[0])).toEqual(Array.from(inference[1]));
    const training = await tf.profile(() => layer.apply(x, { training: true }) as tf.Tensor);
    expect(training.kernels.map((k) => k.name)).not.toContain("FusedBatchNorm");
  });

  it("saves as tfjs-layers' BatchNormalization, so saved models load without this project", async () => {
    const net = model(() => batchNormalization());
    const json = net.toJSON(undefined, false) as unknown as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers[1].class_name).toBe("BatchNormalization");
    const loaded = await tf.models.modelFromJSON(json as unknown as tf.io.ModelJSON["modelTopology"] as never);
    expect(loaded.layers[1]).not.toBeInstanceOf(FastBatchNormalization);
    expect(loaded.layers[1].getClassName()).toBe("BatchNormalization");
    expect(loaded.layers[1].name).toBe(net.layers[1].name);
  });

  it("falls back to tfjs-layers' training path for a channels-first axis", async () => {
    const x = tf.randomNormal([4, 3, 5], 0, 1, "float32", 6);
    const [ours, theirs] = [batchNormalization({ axis: 1 }), tf.layers.batchNormalization({ axis: 1 })];
    const [a, b] = await Promise.all([ours, theirs].map((l) => (l.apply(x, { training: true }) as tf.Tensor).data()));
    expect(relativeError(a as Float32Array, b as Float32Array)).toBeLessThan(1e-6);
  });

  it("keeps the tensor count flat across training calls", () => {
    const layer = batchNormalization();
    const x = tf.randomNormal([4, 3, 3, 2]);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
