/**
 * The training objective: cross-entropy with label smoothing, class weights and L2.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode trainingLoss}. */
export interface LossOptions {
  /** Smoothing epsilon: targets become y(1 - e) + e / K. @default 0 */
  labelSmoothing?: number;
  /** Weight per class; each sample's loss is scaled by its true class's weight. @default null */
  classWeights?: readonly number[] | null;
  /** L2 coefficient applied to the sum of squared `kernels`. @default 0 */
  l2?: number;
  /** Kernels the L2 penalty applies to. @default [] */
  kernels?: readonly tf.Tensor[];
}

/**
 * Mean categorical cross-entropy of probabilities against one-hot targets.
 *
 * Probabilities are clipped to [1e-7, 1] before the log, as Keras does, so a
 * confident wrong prediction gives a large finite loss. With class weights the
 * mean is the weighted sum divided by the batch size (Keras's convention).
 *
 * @param probabilities `[n, K]` softmax outputs.
 * @param targets `[n, K]` one-hot labels.
 * @param options See {@linkcode LossOptions}.
 * @returns A scalar loss.
 * @example
 * ```ts
 * const loss = trainingLoss(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1, 0]]));
 * console.assert(Math.abs(loss.dataSync()[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function trainingLoss(probabilities: tf.Tensor2D, targets: tf.Tensor2D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = targets.shape[1];
    const epsilon = options.labelSmoothing ?? 0;
    const smoothed = epsilon > 0 ? targets.mul(1 - epsilon).add(epsilon / numClasses) : targets;
    let perSample = smoothed.mul(probabilities.clipByValue(1e-7, 1).log()).sum(-1).neg();
    if (options.classWeights) {
      perSample = perSample.mul(targets.matMul(tf.tensor2d([...options.classWeights], [numClasses, 1])).reshape([-1]));
    }
    let loss = perSample.mean() as tf.Scalar;
    const l2 = options.l2 ?? 0;
    if (l2 > 0 && options.kernels && options.kernels.length > 0) {
      loss = loss.add(tf.addN(options.kernels.map((k) => k.square().sum())).mul(l2));
    }
    return loss;
  });
}
