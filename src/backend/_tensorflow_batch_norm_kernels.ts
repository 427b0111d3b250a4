/**
 * The fused batch-normalisation training kernels of
 * {@linkcode batchNormTraining} for the `tensorflow` backend: TensorFlow's
 * FusedBatchNormV3 in training mode and FusedBatchNormGradV3.
 *
 * FusedBatchNormV3 returns the Bessel-corrected variance (for Keras' moving
 * averages); tfjs-layers averages the biased one, so it is scaled back by
 * (n - 1) / n. Its "reserve space" outputs are what the gradient op needs; on
 * the CPU they are the batch mean and biased variance, with cuDNN they are
 * other values, so they are only ever passed back to the gradient op.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { NodeBackend, NodeOpAttr } from "./_node_backend.ts";
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from "./batch_norm_training.ts";

function fusedAttrs(node: NodeBackend, epsilon: number): NodeOpAttr[] {
  const { binding } = node;
  return [
    { name: "T", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: "U", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: "epsilon", type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: "data_format", type: binding.TF_ATTR_STRING, value: "NHWC" },
    { name: "is_training", type: binding.TF_ATTR_BOOL, value: true },
  ];
}

/** Forward: inputs x (NHWC), scale, offset; outputs y, mean, biased variance, reserve spaces 1-3. */
export const tensorflowBatchNormTraining: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_KERNEL,
  backendName: "tensorflow",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, scale, offset } = inputs as { x: tf.Tensor4D; scale: tf.Tensor1D; offset: tf.Tensor1D };
    const { epsilon } = attrs as unknown as { epsilon: number };
    const node = backend as unknown as NodeBackend;
    const empty = tf.tensor1d([], "float32");
    const [y, mean, besselVariance, ...reserve] = node.executeMultipleOutputs(
      "FusedBatchNormV3",
      fusedAttrs(node, epsilon),
      [x, scale, offset, empty, empty],
      6,
    );
    const n = tf.util.sizeFromShape(x.shape) / x.shape[3];
    // One value per channel: its variance is 0, and cuDNN's corrected
    // variance divides by n - 1 = 0 (NaN, which would poison the moving average).
    const factor = tf.scalar(n > 1 ? (n - 1) / n : 0);
    const variance = n > 1 ? tf.mul(besselVariance, factor) : tf.zerosLike(besselVariance);
    tf.dispose([empty, besselVariance, factor]);
    return [y, mean, variance, ...reserve];
  },
};

/** Gradient: inputs dy, x, scale and the three reserve spaces; outputs dx, dscale, doffset. */
export const tensorflowBatchNormTrainingGrad: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD_KERNEL,
  backendName: "tensorflow",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, x, scale, reserve1, reserve2, reserve3 } = inputs as Record<string, tf.Tensor>;
    const { epsilon } = attrs as unknown as { epsilon: number };
    const node = backend as unknown as NodeBackend;
    const [dx, dScale, dOffset, ...unused] = node.executeMultipleOutputs(
      "FusedBatchNormGradV3",
      fusedAttrs(node, epsilon),
      [dy, x, scale, reserve1, reserve2, reserve3],
      5,
    );
    tf.dispose(unused);
    return [dx, dScale, dOffset];
  },
};
