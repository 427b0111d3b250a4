/**
 * Seeded initialisers for the model builders.
 *
 * Every kernel initialiser and dropout layer gets its own seed, `seed + k`
 * for the k-th one a builder asks for, so the same seed gives identical weights on
 * every backend: tfjs draws seeded initial values on the CPU side (seedrandom),
 * whichever backend is active.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/**
 * Hands out glorot-uniform initialisers (and dropout seeds) with consecutive seeds.
 *
 * @example
 * ```ts
 * const seeds = new LayerSeeds(10);
 * const kernelInitializer = seeds.glorot(); // seed 10
 * console.assert(seeds.next() === 11);
 * ```
 */
export class LayerSeeds {
  #next: number;

  /** @param seed Base seed, an integer in [0, 2^32). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ConfigError(
        `Model seed ${seed} is not an integer in [0, 4294967295]; use a whole number such as 42`,
      );
    }
    this.#next = seed;
  }

  /** The next seed, for a layer that draws its own randomness (dropout). */
  next(): number {
    return this.#next++;
  }

  /** A glorot-uniform initialiser (Keras's default) with the next seed. */
  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.#next++ });
  }
}
