/**
 * What the per-epoch training checkpoint (checkpoint.bin, for `fer resume`)
 * costs: its size and the time to encode and write it, against the training
 * time of an epoch measured in the same run on the same backend.
 *
 *     npx deno run -A bench/checkpoint_cost.ts [--backend auto] [--steps 10] [--epochs 3]
 *
 * Each model trains through `fit` (Adam, batch 32, a kept-best callback on
 * training loss, so the checkpoint holds what a run's does: weights, Adam's
 * two moments, the best weights) on `--steps` batches of random 48x48 images
 * per epoch, for `--epochs` epochs; the first epoch is warm-up. Its
 * checkpoints go through the run's encoding and atomic write to a temporary
 * folder. An epoch of the 4-class train split (15,107 images, 473 steps) is
 * the measured step time scaled up; the last column is the checkpoint's share
 * of it. The models: small_cnn, capstone_cnn, and vgg_like at best_4class's
 * widths (32-64-128-256, dense 256).
 */
import * as tf from "@tensorflow/tfjs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { selectBackend } from "../src/backend/select_backend.ts";
import { buildModel } from "../src/models/mod.ts";
import { atomicWrite } from "../src/core/atomic_write.ts";
import { makeRng } from "../src/core/seed.ts";
import { fit } from "../src/train/fit.ts";
import { encodeFitState } from "../src/train/fit_state.ts";
import { keepBestWeights } from "../src/train/keep_best_weights.ts";
import type { BatchSource } from "../src/train/batch_source.ts";

const TRAIN_IMAGES = 15_107;
const BATCH = 32;

const { values } = parseArgs({
  args: Deno.args,
  options: { backend: { type: "string", default: "auto" }, steps: { type: "string", default: "10" }, epochs: { type: "string", default: "3" } },
});
const steps = Number(values.steps);
const epochs = Number(values.epochs);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(epochs) || epochs < 2) {
  throw new Error("--steps must be a whole number >= 1 and --epochs >= 2 (the first epoch is warm-up)");
}

const MODELS = [
  { label: "small_cnn", options: { family: "small_cnn" } },
  { label: "capstone_cnn", options: { family: "capstone_cnn" } },
  { label: "best_4class vgg", options: { family: "vgg_like", filters: [32, 64, 128, 256], denseUnits: 256 } },
] as const;

/** `count` random images and labels, the same every epoch. */
function randomSource(count: number): BatchSource {
  const x = tf.randomUniform([count, 48, 48, 1], 0, 1, "float32", 3);
  const labels = Array.from({ length: count }, (_, i) => i % 4);
  return {
    count,
    labels,
    numClasses: 4,
    batch(indices) {
      return tf.tidy(() => ({
        x: tf.gather(x, indices) as tf.Tensor4D,
        y: tf.oneHot(tf.tensor1d(indices.map((i) => labels[i]), "int32"), 4).toFloat() as tf.Tensor2D,
      }));
    },
  };
}

const backend = await selectBackend(values.backend!, { log: () => {} });
console.log(`backend ${backend.name} (${backend.precision.used}); ${steps} steps of ${BATCH} a timed epoch, ${epochs - 1} timed epoch(s) after one warm-up`);
const dir = await mkdtemp(join(tmpdir(), "fer-checkpoint-bench-"));
const header = ["model", "params", "checkpoint MB", "save ms", "step ms", `epoch s (${TRAIN_IMAGES} images)`, "save / epoch"];
const rows: string[][] = [];
try {
  for (const { label, options } of MODELS) {
    const model = buildModel({ ...options, inputShape: [48, 48, 1], numClasses: 4, seed: 0 } as Parameters<typeof buildModel>[0]);
    const saves: { ms: number; bytes: number }[] = [];
    const result = await fit(model, { train: randomSource(steps * BATCH) }, {
      epochs,
      batchSize: BATCH,
      optimizer: tf.train.adam(1e-3),
      rng: makeRng(0),
      callbacks: [keepBestWeights({ monitor: "loss" })],
      onCheckpoint: async (state) => {
        const started = performance.now();
        const bytes = await encodeFitState(state, { dropoutCalls: [] });
        await atomicWrite(join(dir, "checkpoint.bin"), bytes);
        saves.push({ ms: performance.now() - started, bytes: bytes.length });
      },
    });
    // An epoch's logged seconds end before its checkpoint is saved (fit saves it after the epoch's callbacks).
    const timed = result.history.slice(1);
    const saveMs = median(saves.slice(1).map((s) => s.ms));
    const stepMs = median(timed.map((logs) => logs.seconds * 1000)) / steps;
    const epochSeconds = (stepMs * Math.ceil(TRAIN_IMAGES / BATCH)) / 1000;
    rows.push([
      label,
      String(model.countParams()),
      (saves[0].bytes / 1e6).toFixed(1),
      saveMs.toFixed(0),
      stepMs.toFixed(1),
      epochSeconds.toFixed(1),
      `${((saveMs / 1000 / epochSeconds) * 100).toFixed(2)}%`,
    ]);
    model.dispose();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const line of [header, ...rows]) console.log(line.map((cell, i) => cell.padStart(widths[i])).join("  "));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
