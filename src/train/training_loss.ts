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
    const loss = perSample.mean() as tf.Scalar;
    const l2 = options.l2 ?? 0;
    return l2 > 0 && options.kernels && options.kernels.length > 0 ? loss.add(l2Penalty(options.kernels, l2)) : loss;
  });
}

/**
 * The L2 penalty of the training objective: `l2` times the sum of the squared
 * `kernels`. {@linkcode trainingLoss} adds it to the data's loss; fit reads it
 * apart, so that a batch's loss can be read without it (the range test).
 *
 * @param kernels The conv and dense kernels.
 * @param l2 The coefficient.
 * @returns A scalar.
 * @example
 * ```ts
 * console.assert(l2Penalty([tf.tensor1d([1, 2])], 0.5).dataSync()[0] === 2.5);
 * ```
 */
export function l2Penalty(kernels: readonly tf.Tensor[], l2: number): tf.Scalar {
  return tf.tidy(() => tf.addN(kernels.map((k) => k.square().sum())).mul(l2) as tf.Scalar);
}
