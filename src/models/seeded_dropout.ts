/**
 * Dropout whose masks are reproducible from a seed and differ from step to step.
 *
 * tfjs's own Dropout layer either draws from an unseeded global generator (not
 * reproducible) or, given a `seed`, draws the same mask on every call (which
 * is no longer dropout). This layer seeds each call with `seed + call index`,
 * so the same training run gives the same masks and every step a new one.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** Arguments of {@linkcode seededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of inputs to drop, in [0, 1). */
  rate: number;
  /** Base seed; call k uses seed + k. */
  seed: number;
  /** Layer name. @default auto */
  name?: string;
}

/** The layer class; use {@linkcode seededDropout} to make one. */
export class SeededDropout extends tf.layers.Layer {
  static className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  #calls = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`Dropout rate ${args.rate} is outside [0, 1)`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return tf.clone(input);
    const seed = this.seed + this.#calls++;
    return tf.tidy(() => {
      const keep = tf.randomUniform(input.shape, 0, 1, "float32", seed).greaterEqual(this.rate);
      return input.mul(keep.cast("float32")).div(1 - this.rate);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

/**
 * Makes a {@linkcode SeededDropout} layer.
 *
 * @param args Rate and base seed.
 * @returns The layer.
 * @example
 * ```ts
 * const layer = seededDropout({ rate: 0.5, seed: 1 });
 * const x = tf.ones([1, 100]);
 * const a = layer.apply(x, { training: true }) as tf.Tensor;
 * const b = layer.apply(x, { training: true }) as tf.Tensor;
 * // a and b are different masks; a fresh layer with seed 1 reproduces a, then b.
 * ```
 */
export function seededDropout(args: SeededDropoutArgs): SeededDropout {
  return new SeededDropout(args);
}
