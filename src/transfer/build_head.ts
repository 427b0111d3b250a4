/**
 * The classifier trained on top of a backbone's features.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { LayerSeeds } from "../models/layer_seeds.ts";
import { seededDropout } from "../models/seeded_dropout.ts";

/** Options of {@linkcode buildHead}. */
export interface HeadOptions {
  /** Width of the backbone's feature vector. */
  features: number;
  /** Number of classes of the softmax output. */
  numClasses: number;
  /** Units of each hidden ReLU layer, in order; empty for a linear (logistic-regression) head. @default [] */
  hiddenUnits?: number[];
  /** Dropout rate on the features and after each hidden layer, in [0, 1). @default 0 */
  dropout?: number;
  /** Base seed of the initialisers and dropout masks. */
  seed: number;
}

/**
 * Builds the head: `[n, 1, 1, features]` (the feature batch shape) is
 * flattened, passed through optional dropout and hidden ReLU layers, and
 * ends in a softmax over the classes.
 *
 * @param options See {@linkcode HeadOptions}.
 * @returns An uncompiled model named `transfer_head`.
 * @throws {ConfigError} When a width or the rate is out of range.
 * @example
 * ```ts
 * const head = buildHead({ features: 256, numClasses: 4, hiddenUnits: [64], seed: 1 });
 * console.assert(head.outputs[0].shape[1] === 4);
 * ```
 */
export function buildHead(options: HeadOptions): tf.LayersModel {
  const hidden = options.hiddenUnits ?? [];
  const rate = options.dropout ?? 0;
  if (!Number.isInteger(options.features) || options.features < 1) {
    throw new ConfigError(`Head input of ${options.features} features is not a positive whole number; check the backbone's feature node`);
  }
  if (!Number.isInteger(options.numClasses) || options.numClasses < 2) {
    throw new ConfigError(`Head needs at least 2 classes, found ${options.numClasses}; list them in dataset.classes`);
  }
  if (hidden.some((units) => !Number.isInteger(units) || units < 1)) {
    throw new ConfigError(`Head hidden units [${hidden}] must be positive whole numbers; use for example [128] or []`);
  }
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`Head dropout ${rate} is outside [0, 1); use for example 0.3`);
  const seeds = new LayerSeeds(options.seed);
  const model = tf.sequential({ name: "transfer_head" });
  model.add(tf.layers.flatten({ inputShape: [1, 1, options.features], name: "transfer_head_flatten" }));
  if (rate > 0) model.add(seededDropout({ rate, seed: seeds.next(), name: "transfer_head_dropout_in" }));
  hidden.forEach((units, i) => {
    model.add(tf.layers.dense({ units, activation: "relu", kernelInitializer: seeds.glorot(), name: `transfer_head_dense_${i}` }));
    if (rate > 0) model.add(seededDropout({ rate, seed: seeds.next(), name: `transfer_head_dropout_${i}` }));
  });
  model.add(tf.layers.dense({ units: options.numClasses, activation: "softmax", kernelInitializer: seeds.glorot(), name: "transfer_head_output" }));
  return model;
}
