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

  /** Training calls made so far: the next mask is seeded with seed + this. */
  get calls(): number {
    return this.#calls;
  }

  /** Goes on from a saved count of calls (a resumed training), so its masks continue where they stopped. */
  set calls(count: number) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`Dropout call count ${count} is not a whole number >= 0`);
    this.#calls = count;
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

/**
 * The training calls each seeded dropout layer of a model has made, in layer
 * order: what a training checkpoint needs besides the weights for the masks
 * to continue where they stopped. (Layer names are not used: tfjs numbers
 * them per process, so a rebuilt model may name them differently.)
 *
 * @param model A model (nested models are searched too).
 * @returns One count per seeded dropout layer; empty for a model without one.
 * @example
 * ```ts
 * const counts = dropoutCallCounts(model);
 * restoreDropoutCallCounts(rebuilt, counts);
 * ```
 */
export function dropoutCallCounts(model: tf.LayersModel): number[] {
  return seededDropoutLayers(model).map((layer) => layer.calls);
}

/**
 * Sets each seeded dropout layer's call count from {@linkcode dropoutCallCounts}.
 *
 * @param model The rebuilt model.
 * @param counts One count per seeded dropout layer, in layer order.
 * @throws {RangeError} When the model has another number of such layers (another model).
 */
export function restoreDropoutCallCounts(model: tf.LayersModel, counts: readonly number[]): void {
  const layers = seededDropoutLayers(model);
  if (layers.length !== counts.length) {
    throw new RangeError(`The checkpoint has ${counts.length} dropout layer(s); this model has ${layers.length}`);
  }
  layers.forEach((layer, i) => layer.calls = counts[i]);
}

function seededDropoutLayers(model: tf.LayersModel): SeededDropout[] {
  const found: SeededDropout[] = [];
  const visit = (layers: tf.layers.Layer[]) => {
    for (const layer of layers) {
      if (layer instanceof SeededDropout) found.push(layer);
      const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (Array.isArray(nested)) visit(nested);
    }
  };
  visit(model.layers);
  return found;
}
