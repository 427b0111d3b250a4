/**
 * Training-step parity: wasm, webgpu and tensorflow (when built) against the cpu backend.
 *
 * For each model, the cpu backend runs 3 SGD steps on one batch and records
 * the loss and all weights (moving statistics included) after every step.
 * Each other backend builds the model from the same seed (its initial weights
 * must equal cpu's bit for bit), then takes the same 3 steps, each one
 * starting from cpu's weights of that step ("teacher forcing"), so rounding
 * differences never compound from step to step.
 *
 * Kinks. ReLU, ReLU6 and max-pooling are not differentiable everywhere, so a
 * last-bit difference in a pre-activation that sits at a kink flips one mask
 * bit. Inputs are drawn in [0, 1) and every ReLU6 follows a batch norm, so
 * ReLU6 inputs are near N(0, 1) and never come near the kink at 6. At 0 a
 * flip cannot be ruled out; teacher forcing keeps the inputs of every step
 * bit-identical across backends, which leaves only a forward pass's rounding
 * (about 1e-7) to flip a bit. One flip changes one position's share of one
 * tensor's update: at most 1/(batch x positions) = 1/(8 x 4 x 4) = 0.8% at the
 * deepest stage here. The update tolerance (5%) is several flips wide, while a
 * wrong kernel gives errors of order 1.
 *
 * Errors: loss, max over steps of |loss - cpu| / |cpu|; update, max over steps
 * and weight tensors of ||dW - dW_cpu|| / max(||dW_cpu||, 1% of the model's
 * largest update at that size), where dW is one step's change of a tensor. The
 * floor keeps tensors that should not move at all (a conv bias or a batch-norm
 * shift right before another batch norm, which removes any constant offset;
 * MobileNet's linear bottlenecks are full of them) from dividing rounding
 * noise by rounding noise.
 *
 * The "state bug" seen before (ResNet/Xception or MobileNet gradients off by a
 * relative error near 1 only after another model's gradient ran in the same
 * process) was that division: initWasmBackend registers a FusedBatchNorm
 * gradient for every backend, so from then on cpu and webgpu round those
 * exactly-zero gradients differently (noise of order 1e-9 either way), and
 * max|a - b| / max|b| of two noises is about 1. Gradients that are not zero
 * agree to about 1e-6 in every order (checked on wasm, webgpu and cpu at
 * 48x48, batch 8). The models run MobileNet first, on every backend, so that
 * a real order-dependent bug would still show here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { findWebGpuAdapter } from "../../src/backend/_find_webgpu_adapter.ts";
import { trainingStep } from "../../src/train/training_step.ts";
import { buildModel, type ModelConfig } from "../../src/models/mod.ts";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

const SIZE = 16, BATCH = 8, STEPS = 3, CLASSES = 4, LEARNING_RATE = 0.05;
const LOSS_TOLERANCE = 1e-5, UPDATE_TOLERANCE = 5e-2;
const base = { inputShape: [SIZE, SIZE, 1] as [number, number, number], numClasses: CLASSES, seed: 7 };

// MobileNet runs first on purpose (see the module doc).
const CONFIGS: ModelConfig[] = [
  {
    family: "mobilenet_v2_like",
    ...base,
    stemFilters: 8,
    stages: [
      { expansion: 1, filters: 8, repeats: 1, stride: 1 },
      { expansion: 4, filters: 12, repeats: 2, stride: 2 },
      { expansion: 4, filters: 16, repeats: 2, stride: 2 },
    ],
    headFilters: 32,
  },
  { family: "small_cnn", ...base, filters: [8, 16, 32], denseUnits: 32 },
  { family: "vgg_like", ...base, filters: [8, 16, 32], denseUnits: 32, headDropout: 0 },
  { family: "resnet_like", ...base, filters: [8, 16, 32], blocksPerStage: 1 },
  { family: "xception_like", ...base, stemFilters: 4, filters: [8, 16, 32] },
];

type Weights = Float32Array[];
interface Trajectory {
  losses: number[];
  /** Weights before step 1, then after each step. */
  weights: Weights[];
}

const search = await findWebGpuAdapter();
const references = new Map<string, Trajectory>();
const table: string[] = [];

async function readWeights(model: tf.LayersModel): Promise<Weights> {
  return await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

/** Runs STEPS steps; with a reference, each step starts from the reference's weights. */
async function train(config: ModelConfig, reference?: Trajectory): Promise<Trajectory> {
  const model = buildModel(config);
  const x = tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: BATCH }, (_, i) => i % CLASSES), "int32"), CLASSES) as tf.Tensor2D);
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const trajectory: Trajectory = { losses: [], weights: [await readWeights(model)] };
  for (let step = 0; step < STEPS; step++) {
    if (reference && step > 0) {
      const start = reference.weights[step].map((w, i) => tf.tensor(w, model.weights[i].shape as number[]));
      model.setWeights(start);
      tf.dispose(start);
    }
    trajectory.losses.push(await trainingStep(model, { x, y }, { optimizer }));
    trajectory.weights.push(await readWeights(model));
  }
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return trajectory;
}

function norm(values: Float32Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

/** Loss and update errors of `got` against `reference` (see the module doc). */
function parityErrors(got: Trajectory, reference: Trajectory): { loss: number; update: number } {
  const loss = Math.max(...got.losses.map((l, i) => Math.abs(l - reference.losses[i]) / Math.abs(reference.losses[i])));
  let update = 0;
  for (let step = 1; step <= STEPS; step++) {
    const start = reference.weights[step - 1];
    const delta = (weights: Weights) => weights.map((w, i) => w.map((v, k) => v - start[i][k]));
    const expected = delta(reference.weights[step]), actual = delta(got.weights[step]);
    const largest = Math.max(...expected.map((d) => norm(d) / Math.sqrt(d.length)));
    actual.forEach((d, i) => {
      const error = norm(d.map((v, k) => v - expected[i][k]));
      update = Math.max(update, error / Math.max(norm(expected[i]), 0.01 * largest * Math.sqrt(d.length)));
    });
  }
  return { loss, update };
}

beforeAll(async () => {
  await tf.setBackend("cpu");
  for (const config of CONFIGS) references.set(config.family, await train(config));
});

afterAll(async () => {
  console.log(
    [
      `Training-step parity against cpu (${STEPS} teacher-forced SGD steps, ${SIZE}x${SIZE}x1, batch ${BATCH})`,
      "model              backend  loss err  update err",
      ...table,
    ].join("\n"),
  );
  await tf.setBackend("cpu");
});

const backends: { name: "wasm" | "webgpu" | "tensorflow"; available: boolean; why: string }[] = [
  { name: "wasm", available: true, why: "" },
  { name: "webgpu", available: search.found, why: search.found ? "" : ` (skipped: ${search.why})` },
  { name: "tensorflow", available: PARITY_BACKENDS.includes("tensorflow"), why: SKIPPED_TENSORFLOW && ` (skipped: ${SKIPPED_TENSORFLOW})` },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`training steps on ${backend.name} match cpu${backend.why}`, () => {
    beforeAll(async () => {
      await selectBackend(backend.name);
    });

    it.each(CONFIGS.map((config) => [config.family, config] as const))("for %s", async (family, config) => {
      await selectBackend(backend.name);
      const reference = references.get(family)!;
      const got = await train(config, reference);
      expect(got.weights[0]).toEqual(reference.weights[0]);
      const errors = parityErrors(got, reference);
      table.push(`${family.padEnd(18)} ${backend.name.padEnd(8)} ${errors.loss.toExponential(1).padEnd(9)} ${errors.update.toExponential(1)}`);
      expect(errors.loss).toBeLessThan(LOSS_TOLERANCE);
      expect(errors.update).toBeLessThan(UPDATE_TOLERANCE);
    });
  });
}
