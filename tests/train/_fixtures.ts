import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";
import type { BatchSource } from "../../src/train/batch_source.ts";

/** Two Gaussian blobs in 2x2x1 "images": class = sign of the mean pixel. */
export function blobSource(count: number, seed: number): BatchSource {
  const rng = makeRng(seed);
  const labels = Array.from({ length: count }, (_, i) => i % 2);
  const pixels = labels.flatMap((label) => Array.from({ length: 4 }, () => (label ? 1 : -1) + rng.normal() * 0.5));
  return {
    count,
    labels,
    numClasses: 2,
    batch(indices) {
      const x = tf.tensor4d(indices.flatMap((i) => pixels.slice(i * 4, i * 4 + 4)), [indices.length, 2, 2, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(indices.map((i) => labels[i]), "int32"), 2).toFloat() as tf.Tensor2D);
      return { x, y };
    },
  };
}

/** A dense layer and a batch norm, so the average covers trainable weights and moving statistics. */
export function batchNormModel(seed: number): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1] }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 2, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
    ],
  });
}
