/**
 * Batch normalisation in training mode as one operation with a hand-written
 * gradient.
 *
 * tfjs-layers normalises a training batch with `tf.moments` and
 * `tf.batchNorm`, and autodiff then differentiates through every small op
 * of both: on the `tensorflow` backend those elementwise kernels took about a
 * quarter of a VGG training step (172 Multiply, 84 Add, 55 Sub, 48 Sum per
 * step). Here the forward pass and its gradient are each one call of
 * TensorFlow's FusedBatchNormV3 / FusedBatchNormGradV3 on the `tensorflow`
 * backend (kernels registered by {@linkcode registerTensorflowKernels}), and a
 * short composition elsewhere:
 *
 *   y = xhat * gamma + beta, xhat = (x - mean) * invStd, invStd = rsqrt(var + eps)
 *   dbeta = sum(dy), dgamma = sum(dy * xhat),
 *   dx = gamma * invStd / n * (n * dy - dbeta - xhat * dgamma)
 *
 * with sums and statistics over every axis but the last (channels last, as
 * the Keras layers here use), n the number of values per channel, and the
 * biased variance, as tfjs-layers uses for its moving averages.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../core/errors.ts";

/** Kernel name of the fused forward pass (outputs: y, mean, biased variance, then saved tensors for the gradient). */
export const BATCH_NORM_TRAINING_KERNEL = "FerBatchNormTraining";
/** Kernel name of the fused gradient (outputs: dx, dgamma, dbeta). */
export const BATCH_NORM_TRAINING_GRAD_KERNEL = "FerBatchNormTrainingGrad";

/** What {@linkcode batchNormTraining} returns. */
export interface BatchNormTrainingResult {
  /** The normalised, scaled and shifted batch, shaped like `x`. */
  y: tf.Tensor;
  /** Per-channel batch mean, `[channels]`; no gradient flows through it. */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance, `[channels]`; no gradient flows through it. */
  variance: tf.Tensor1D;
}

/**
 * Normalises a float32 batch over every axis but the last with its own
 * statistics, then scales by `gamma` and shifts by `beta`. Gradients flow to
 * `x`, `gamma` and `beta` (through `y`).
 *
 * @param x Batch, channels last, rank 2 to 4.
 * @param gamma Per-channel scale, `[channels]`.
 * @param beta Per-channel offset, `[channels]`.
 * @param epsilon Added to the variance before the square root.
 * @returns The output and the batch statistics for the moving averages.
 * @example
 * ```ts
 * const x = tf.tensor2d([[1], [3]]);
 * const { y, mean, variance } = batchNormTraining(x, tf.ones([1]), tf.zeros([1]), 0);
 * console.assert(y.arraySync()[1][0] === 1 && mean.arraySync()[0] === 2 && variance.arraySync()[0] === 1);
 * ```
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  if (x.rank < 2 || x.rank > 4) {
    throw new BackendError(`batchNormTraining takes a batch of rank 2 to 4, got rank ${x.rank}; reshape it to [n, ..., channels]`);
  }
  const fused = tf.getKernel(BATCH_NORM_TRAINING_KERNEL, tf.getBackend()) != null &&
    tf.getKernel(BATCH_NORM_TRAINING_GRAD_KERNEL, tf.getBackend()) != null;
  // tfjs runs the forward function in a tidy and keeps only its value: the
  // statistics are kept there and handed out below as clones in the caller's
  // scope (so tfjs's IS_TEST leak check, which counts data ids per kernel,
  // flags the kept pair inside the customGrad; nothing leaks past this function).
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((input, scale, offset, save) => {
    const saveFunc = save as tf.GradSaveFunc;
    if (fused) {
      const x4 = toRank4(input as tf.Tensor);
      const [y4, batchMean, batchVariance, ...reserve] = tf.engine().runKernel(
        BATCH_NORM_TRAINING_KERNEL,
        { x: x4, scale: scale as tf.Tensor, offset: offset as tf.Tensor },
        { epsilon } as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      [mean, variance] = [tf.keep(batchMean as tf.Tensor1D), tf.keep(batchVariance as tf.Tensor1D)];
      saveFunc([x4, scale as tf.Tensor, ...reserve]);
      return {
        value: tf.reshape(y4, (input as tf.Tensor).shape),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [dx4, dScale, dOffset] = tf.engine().runKernel(
            BATCH_NORM_TRAINING_GRAD_KERNEL,
            { dy: toRank4(dy), x: saved[0], scale: saved[1], reserve1: saved[2], reserve2: saved[3], reserve3: saved[4] },
            { epsilon } as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
          return [tf.reshape(dx4, dy.shape), dScale, dOffset];
        },
      };
    }
    const axes = [...Array((input as tf.Tensor).rank - 1).keys()];
    const batchMean = tf.mean(input as tf.Tensor, axes);
    const centred = tf.sub(input as tf.Tensor, batchMean);
    const batchVariance = tf.mean(tf.square(centred), axes);
    const invStd = tf.rsqrt(tf.add(batchVariance, tf.scalar(epsilon)));
    const normalised = tf.mul(centred, invStd);
    [mean, variance] = [tf.keep(batchMean as tf.Tensor1D), tf.keep(batchVariance as tf.Tensor1D)];
    saveFunc([normalised, invStd, scale as tf.Tensor]);
    return {
      value: tf.add(tf.mul(normalised, scale as tf.Tensor), offset as tf.Tensor),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xhat, inv, g] = saved;
        const n = xhat.size / xhat.shape[xhat.rank - 1];
        const dOffset = tf.sum(dy, axes);
        const dScale = tf.sum(tf.mul(dy, xhat), axes);
        const inner = tf.sub(tf.sub(tf.mul(dy, tf.scalar(n)), dOffset), tf.mul(xhat, dScale));
        return [tf.mul(inner, tf.mul(tf.mul(g, inv), tf.scalar(1 / n))), dScale, dOffset];
      },
    };
  });
  const y = op(x, gamma, beta);
  const result = { y, mean: tf.clone(mean!), variance: tf.clone(variance!) };
  tf.dispose([mean!, variance!]);
  return result;
}

/** Pads the shape of a rank 2 or 3 batch to rank 4 (`[n, 1, 1, c]` / `[n, 1, w, c]`), as the fused op wants NHWC. */
function toRank4(x: tf.Tensor): tf.Tensor4D {
  if (x.rank === 4) return x as tf.Tensor4D;
  const [n, a, b] = x.shape as number[];
  return tf.reshape(x, x.rank === 2 ? [n, 1, 1, a] : [n, 1, a, b]);
}
