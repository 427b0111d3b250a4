// Run by verifyNativeBackend in a fresh process: select the tensorflow backend,
// train one small-CNN step, print one `NATIVE_CHECK {json}` line.
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../backend/select_backend.ts";
import { trainingStep } from "../train/training_step.ts";
import { buildModel } from "../models/mod.ts";

const info = await selectBackend("tensorflow", { log: () => {} });
const model = buildModel({ family: "small_cnn", inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
const x = tf.randomUniform([32, 48, 48, 1], 0, 1, "float32", 1);
const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3].flatMap((c) => Array(8).fill(c)), "int32"), 4) as tf.Tensor2D;
const optimizer = tf.train.adam(1e-3);
await trainingStep(model, { x, y }, { optimizer });
const start = performance.now();
const loss = await trainingStep(model, { x, y }, { optimizer });
const stepMilliseconds = performance.now() - start;
if (!Number.isFinite(loss)) throw new Error(`The training step gave a loss of ${loss}`);
console.log("NATIVE_CHECK " + JSON.stringify({
  tensorflowVersion: info.version.tensorflow ?? "unknown",
  tfjsNodeVersion: info.version["tfjs-node"] ?? "unknown",
  usesGpu: info.usesGpu ?? false,
  stepMilliseconds,
}));
