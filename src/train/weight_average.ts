/**
 * An exponential moving average of a model's weights (Polyak averaging, as
 * timm's ModelEma keeps it): updated after every training step, swapped in
 * for validation, the kept best weights and the saved model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Options of {@linkcode WeightAverage}. */
export interface WeightAverageOptions {
  /**
   * How much of the average each step keeps, in [0, 1): 0.999 averages over
   * roughly the last thousand steps. Early steps use less, (1 + t) / (10 + t)
   * at step t, so the random initial weights fade out quickly.
   */
  decay: number;
}

/**
 * The decay used at a step: the configured one, capped by (1 + t) / (10 + t)
 * (the warm-up of TensorFlow's ExponentialMovingAverage with num_updates).
 *
 * @param decay The configured decay.
 * @param step 0-based count of updates before this one.
 * @returns The decay for this update.
 * @example
 * ```ts
 * console.assert(averageDecay(0.999, 0) === 0.1);
 * console.assert(averageDecay(0.999, 1e6) === 0.999);
 * ```
 */
export function averageDecay(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/**
 * Keeps the moving average of every weight of a model (trainable ones and
 * batch-norm statistics alike, in `model.weights` order).
 */
export class WeightAverage {
  readonly decay: number;
  readonly #model: tf.LayersModel;
  readonly #average: tf.Variable[];
  #steps = 0;

  /**
   * Starts the average at the model's current weights.
   *
   * @param model The model being trained.
   * @param options See {@linkcode WeightAverageOptions}.
   * @throws {RangeError} For a decay outside [0, 1).
   */
  constructor(model: tf.LayersModel, options: WeightAverageOptions) {
    if (!(options.decay >= 0 && options.decay < 1)) {
      throw new RangeError(`Weight-average decay ${options.decay} is not in [0, 1); use e.g. 0.999`);
    }
    this.decay = options.decay;
    this.#model = model;
    this.#average = model.weights.map((w) => tf.variable(w.read(), false));
  }

  /** Folds the model's weights after a step into the average. */
  update(): void {
    const d = averageDecay(this.decay, this.#steps++);
    tf.tidy(() => {
      this.#model.weights.forEach((w, i) => this.#average[i].assign(this.#average[i].mul(d).add(w.read().mul(1 - d))));
    });
  }

  /**
   * Runs `body` with the averaged weights in the model, then puts the
   * training weights back.
   *
   * @param body What to do with the averaged model (validate, snapshot, save).
   * @returns `body`'s result.
   */
  async withAverage<T>(body: () => Promise<T>): Promise<T> {
    const training = this.#model.getWeights().map((w) => tf.clone(w));
    try {
      this.#model.setWeights(this.#average);
      return await body();
    } finally {
      this.#model.setWeights(training);
      tf.dispose(training);
    }
  }

  /** Leaves the averaged weights in the model, for good. */
  apply(): void {
    this.#model.setWeights(this.#average);
  }

  /** The steps folded in and the average itself (owned by this object), for a training checkpoint. */
  checkpointState(): { steps: number; weights: tf.Tensor[] } {
    return { steps: this.#steps, weights: this.#average };
  }

  /** Puts back a state from {@linkcode WeightAverage.checkpointState} (the tensors are copied). */
  restoreCheckpointState(state: { steps: number; weights: readonly tf.Tensor[] }): void {
    if (state.weights.length !== this.#average.length) {
      throw new RangeError(`The saved weight average holds ${state.weights.length} tensors; this model has ${this.#average.length} weights`);
    }
    this.#steps = state.steps;
    state.weights.forEach((w, i) => this.#average[i].assign(w));
  }

  /** Frees the average. */
  dispose(): void {
    tf.dispose(this.#average);
  }
}
