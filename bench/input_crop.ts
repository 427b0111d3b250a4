/**
 * What `model.inputCrop` saves: training and inference speed of the VGG-style
 * net of best_fer2013.json (32-64-128-256, dense 256, 7 classes, 48x48x1) with
 * and without its first layer cutting 4 pixels from each border (the net of
 * best_fer2013_crop40.json), on one backend, in one process.
 *
 *     npx deno run -A bench/input_crop.ts [--backend tensorflow] [--crop 4] [--rounds 3] [--steps 8] [--batch 64]
 *
 * Training: images/s of one Adam step on a batch of `--batch` (the configs'
 * 64; forward, backward, update, loss read back). Inference: images/s of
 * predict on a batch of 128 (the scoring batch). The two nets are timed in
 * alternating rounds (plain, cropped, plain, ...), each after one warm-up
 * step, so load that comes and goes during the bench falls on both; the
 * ratio cropped/plain of the summed rounds is the figure to read. It is set
 * beside the ratio of their convolution and dense FLOPs (bench/_model_flops.ts),
 * what the crop would save if nothing else cost time.
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { selectBackend } from "../src/backend/select_backend.ts";
import { buildModel } from "../src/models/mod.ts";
import type { ModelConfig } from "../src/models/model_config.ts";
import { trainingStep } from "../src/train/training_step.ts";
import { trainingFlopsPerImage } from "./_model_flops.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    backend: { type: "string", default: "tensorflow" },
    crop: { type: "string", default: "4" },
    rounds: { type: "string", default: "3" },
    steps: { type: "string", default: "8" },
    batch: { type: "string", default: "64" },
  },
});

function wholeNumber(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} ${text} is not a whole number of at least ${min}; pass for example --${name} 4`);
    Deno.exit(2);
  }
  return value;
}

const crop = wholeNumber("crop", values.crop, 1);
const rounds = wholeNumber("rounds", values.rounds, 1);
const steps = wholeNumber("steps", values.steps, 1);
const batch = wholeNumber("batch", values.batch, 1);
const info = await selectBackend(values.backend!, { threads: 2 });

const plainConfig: ModelConfig = {
  family: "vgg_like",
  inputShape: [48, 48, 1],
  numClasses: 7,
  seed: 0,
  filters: [32, 64, 128, 256],
  denseUnits: 256,
};
const nets = [
  { name: "plain 48x48", model: buildModel(plainConfig) },
  { name: `inputCrop ${crop} (${48 - 2 * crop}x${48 - 2 * crop})`, model: buildModel({ ...plainConfig, inputCrop: crop }) },
].map((net) => ({ ...net, optimizer: tf.train.adam(1e-3), trainSeconds: 0, trainImages: 0, inferSeconds: 0, inferImages: 0 }));

const x = tf.randomUniform([batch, 48, 48, 1], 0, 1, "float32", 1);
const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 7), "int32"), 7) as tf.Tensor2D);
const scoringBatch = tf.randomUniform([128, 48, 48, 1], 0, 1, "float32", 2);

async function timed(run: () => Promise<unknown>, times: number): Promise<number> {
  await run(); // warm-up: kernels and buffers of this shape
  const started = performance.now();
  for (let i = 0; i < times; i++) await run();
  return (performance.now() - started) / 1000;
}

console.log(`Backend ${info.name} (${info.precision.used}); batch ${batch}; ${rounds} round(s) of ${steps} training step(s) per net`);
for (let round = 0; round < rounds; round++) {
  for (const net of nets) {
    net.trainSeconds += await timed(() => trainingStep(net.model, { x, y }, { optimizer: net.optimizer }), steps);
    net.trainImages += steps * batch;
    net.inferSeconds += await timed(async () => {
      const out = net.model.predict(scoringBatch) as tf.Tensor;
      await out.data();
      out.dispose();
    }, steps);
    net.inferImages += steps * 128;
  }
  console.log(`  round ${round + 1} of ${rounds} done`);
}

const rate = (images: number, seconds: number) => images / seconds;
console.log("\nnet                      train img/s  infer img/s (b128)  training GFLOP/image");
for (const net of nets) {
  console.log(
    `${net.name.padEnd(24)} ${rate(net.trainImages, net.trainSeconds).toFixed(0).padStart(11)}  ` +
      `${rate(net.inferImages, net.inferSeconds).toFixed(0).padStart(18)}  ${(trainingFlopsPerImage(net.model) / 1e9).toFixed(3).padStart(20)}`,
  );
}
const [plain, cropped] = nets;
const timeRatio = (a: number, b: number) => (a / b).toFixed(2);
console.log(
  `\nratio cropped/plain: training time ${timeRatio(cropped.trainSeconds / cropped.trainImages, plain.trainSeconds / plain.trainImages)}, ` +
    `inference time ${timeRatio(cropped.inferSeconds / cropped.inferImages, plain.inferSeconds / plain.inferImages)}, ` +
    `training FLOPs ${timeRatio(trainingFlopsPerImage(cropped.model), trainingFlopsPerImage(plain.model))}`,
);
tf.dispose([x, y, scoringBatch]);
for (const net of nets) {
  net.model.dispose();
  net.optimizer.dispose();
}
