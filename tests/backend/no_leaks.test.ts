import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { findWebGpuAdapter } from "../../src/backend/_find_webgpu_adapter.ts";
import { trainingStep } from "../../src/train/training_step.ts";
import { buildModel, type ModelConfig } from "../../src/models/mod.ts";
import { fit } from "../../src/train/fit.ts";
import { Callback } from "../../src/train/callback.ts";
import type { BatchSource } from "../../src/train/batch_source.ts";
import { makeRng } from "../../src/core/seed.ts";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

const SIZE = 16, CLASSES = 4;
const base = { inputShape: [SIZE, SIZE, 1] as [number, number, number], numClasses: CLASSES, seed: 1 };
// Between them these use every kernel family the builders emit: conv, batch
// norm, ReLU, max-pool, seeded dropout, dense (vgg_like); depthwise conv,
// ReLU6, residual add, global pooling (mobilenet_v2_like).
const MODELS: ModelConfig[] = [
  { family: "vgg_like", ...base, filters: [4, 8], denseUnits: 8, headDropout: 0.5 },
  {
    family: "mobilenet_v2_like",
    ...base,
    stemFilters: 4,
    stages: [{ expansion: 1, filters: 4, repeats: 1, stride: 1 }, { expansion: 2, filters: 8, repeats: 2, stride: 2 }],
    headFilters: 8,
  },
];

/** Engine and backend counters that must not drift from step to step. */
function counters(): number[] {
  const memory = tf.memory();
  return [memory.numTensors, memory.numDataBuffers, memory.numBytes, tf.backend().numDataIds()];
}

function memorySource(count: number): BatchSource {
  const labels = Array.from({ length: count }, (_, i) => i % CLASSES);
  return {
    count,
    labels,
    numClasses: CLASSES,
    batch: (indices) =>
      tf.tidy(() => ({
        x: tf.randomUniform([indices.length, SIZE, SIZE, 1], 0, 1, "float32", indices[0]) as tf.Tensor4D,
        y: tf.oneHot(tf.tensor1d(indices.map((i) => labels[i]), "int32"), CLASSES) as tf.Tensor2D,
      })),
  };
}

class MemoryRecorder extends Callback {
  readonly after: number[][] = [];
  override onBatchEnd(): void {
    this.after.push(counters());
  }
}

const search = await findWebGpuAdapter();
const backends = [
  { name: "cpu" as const, available: true, why: "" },
  { name: "wasm" as const, available: true, why: "" },
  { name: "webgpu" as const, available: search.found, why: search.found ? "" : ` (skipped: ${search.why})` },
  {
    name: "tensorflow" as const,
    available: PARITY_BACKENDS.includes("tensorflow"),
    why: SKIPPED_TENSORFLOW && ` (skipped: ${SKIPPED_TENSORFLOW})`,
  },
];

afterAll(async () => {
  await tf.setBackend("cpu");
});

for (const backend of backends) {
  describe.skipIf(!backend.available)(`training on ${backend.name} leaks no tensors${backend.why}`, () => {
    it.each(MODELS.map((config) => [config.family, config] as const))(
      "keeps tensor and buffer counts flat across Adam steps of %s",
      async (_family, config) => {
        await selectBackend(backend.name);
        const model = buildModel(config);
        const x = tf.randomUniform([4, SIZE, SIZE, 1], 0, 1, "float32", 2);
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), CLASSES) as tf.Tensor2D);
        const optimizer = tf.train.adam(1e-3);
        await trainingStep(model, { x, y }, { optimizer }); // creates Adam's slot variables
        const before = counters();
        for (let step = 0; step < 4; step++) {
          await trainingStep(model, { x, y }, { optimizer });
          expect(counters()).toEqual(before);
        }
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
      },
    );

    it("keeps tensor and buffer counts flat across the batches and epochs of fit", async () => {
      await selectBackend(backend.name);
      const model = buildModel(MODELS[0]);
      const recorder = new MemoryRecorder();
      const optimizer = tf.train.adam(1e-3);
      await fit(model, { train: memorySource(12), validation: memorySource(4) }, {
        epochs: 2,
        batchSize: 4,
        optimizer,
        rng: makeRng(0),
        callbacks: [recorder],
      });
      // After the first batch (Adam's slots) every batch ends with the same counts.
      expect(recorder.after).toHaveLength(6);
      for (const counts of recorder.after.slice(2)) expect(counts).toEqual(recorder.after[1]);
      optimizer.dispose();
      model.dispose();
    });
  });
}
