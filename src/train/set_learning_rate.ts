/**
 * Reads and changes a tfjs optimizer's learning rate and momentum.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

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

/**
 * Changes the momentum used from the next step on: Adam's beta1, the momentum
 * of SGD with momentum or of RMSProp. Adam and RMSProp read the field at every
 * step. Adam's bias correction divides by one minus a running product that
 * tfjs starts at the beta1 the optimizer was made with and multiplies by each
 * step's beta1 after the step, so while beta1 moves it is off by the ratio of
 * two beta1 values in a product that falls below 0.08 within 50 steps at 0.95:
 * under one percent of the step after that.
 *
 * @param optimizer A tfjs optimizer.
 * @param momentum New momentum in [0, 1).
 * @throws Error when the optimizer has no momentum term to change.
 * @example
 * ```ts
 * const adam = tf.train.adam(1e-3);
 * setMomentum(adam, 0.85);
 * ```
 */
export function setMomentum(optimizer: tf.Optimizer, momentum: number): void {
  const name = optimizer.getClassName();
  if (name === "Adam") (optimizer as unknown as { beta1: number }).beta1 = momentum;
  else if (name === "Momentum") {
    // tfjs's own setMomentum changes the field but not the scalar its steps multiply by (`m`), so replace that too.
    const target = optimizer as unknown as { momentum: number; m: tf.Scalar };
    target.momentum = momentum;
    target.m.dispose();
    target.m = tf.keep(tf.scalar(momentum));
  }
  else if (name === "RMSProp" && (optimizer as unknown as { momentum: number }).momentum > 0) {
    (optimizer as unknown as { momentum: number }).momentum = momentum;
  } else {
    throw new Error(
      `The ${name} optimizer here has no momentum for a schedule to move; give it momentum, or turn the schedule's momentum off (null)`,
    );
  }
}
