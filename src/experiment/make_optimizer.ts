/**
 * Builds the tfjs optimizer a config names.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { TrainingConfig } from "./run_config.ts";

/**
 * Makes the optimizer of `training.optimizer`.
 *
 * @param optimizer The optimizer section (defaults already filled in).
 * @param schedule The schedule section: a one-cycle schedule that moves the
 *   momentum replaces the optimizer's own with the cycle's first value, so
 *   Adam's bias correction starts from the beta1 its first step uses.
 * @returns A new tfjs optimizer.
 * @example
 * ```ts
 * const adam = makeOptimizer({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
 * ```
 */
export function makeOptimizer(optimizer: TrainingConfig["optimizer"], schedule?: TrainingConfig["schedule"]): tf.Optimizer {
  const cycleStart = schedule?.name === "one_cycle" && schedule.momentum ? schedule.momentum.high : null;
  switch (optimizer.name) {
    case "adam":
      return tf.train.adam(optimizer.learningRate, cycleStart ?? optimizer.beta1, optimizer.beta2, optimizer.epsilon);
    case "sgd":
      return optimizer.momentum > 0
        ? tf.train.momentum(optimizer.learningRate, cycleStart ?? optimizer.momentum, optimizer.nesterov)
        : tf.train.sgd(optimizer.learningRate);
    case "rmsprop":
      return tf.train.rmsprop(optimizer.learningRate, optimizer.decay, optimizer.momentum > 0 ? cycleStart ?? optimizer.momentum : 0);
  }
}
