/**
 * Reads and changes a tfjs optimizer's learning rate.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

type WithRate = { learningRate: number; setLearningRate?: (lr: number) => void };

/**
 * The optimizer's current learning rate.
 *
 * @param optimizer A tfjs optimizer (sgd, momentum, adam, rmsprop, ...).
 * @returns Its learning rate.
 * @example
 * ```ts
 * console.assert(getLearningRate(tf.train.adam(0.01)) === 0.01);
 * ```
 */
export function getLearningRate(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as WithRate).learningRate;
}

/**
 * Changes the learning rate used from the next step on.
 *
 * SGD and momentum cache `-lr` as a tensor and must go through their own
 * `setLearningRate`; Adam, RMSProp and the others read the field each step.
 *
 * @param optimizer A tfjs optimizer.
 * @param lr New learning rate (> 0).
 * @example
 * ```ts
 * const sgd = tf.train.sgd(0.1);
 * setLearningRate(sgd, 0.05);
 * console.assert(getLearningRate(sgd) === 0.05);
 * ```
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const target = optimizer as unknown as WithRate;
  if (typeof target.setLearningRate === "function") target.setLearningRate(lr);
  else target.learningRate = lr;
}
