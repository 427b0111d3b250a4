/**
 * The VGG-style CNN: blocks of two 3x3 convs with batch norm.
 *
 * Its shape follows Khaireddin & Chen 2021's VGG-style FER net, narrowed to
 * four blocks; with the defaults on 48x48x1 and 4 classes it has about 5.9M
 * parameters.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch_normalization.ts";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
import { inputCropLayer } from "./input_crop.ts";
import { LayerSeeds } from "./layer_seeds.ts";
import { seededDropout } from "./seeded_dropout.ts";

/** Options of {@linkcode buildVggLike}. */
export interface VggLikeOptions extends BaseModelOptions {
  /** Filters of each block of two convs, one 2x2 max-pool each. @default [64, 128, 256, 512] */
  filters?: number[];
  /** Units of the hidden dense layer. @default 256 */
  denseUnits?: number;
  /** Dropout rate before the output layer, in [0, 1). @default 0.5 */
  headDropout?: number;
}

const DEFAULT_FILTERS: readonly number[] = [64, 128, 256, 512];

/**
 * Checks a VGG-style net's options without building it: the input shape, the crop and
 * the class count against its downsampling stages (see checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkVggLikeOptions(options: VggLikeOptions): void {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkModelOptions("vgg_like", options, filters.length);
}

/**
 * Builds the VGG-style CNN: per block two times (conv 3x3 -> batch norm ->
 * ReLU), then a 2x2 max-pool; then flatten, dense -> batch norm -> ReLU,
 * dropout and a softmax output.
 *
 * @param options Input shape, class count, seed, widths and dropout rate.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildVggLike({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(Math.round(model.countParams() / 1e5) === 59);
 * ```
 */
export function buildVggLike(options: VggLikeOptions): tf.LayersModel {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkVggLikeOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const model = tf.sequential();
  const crop = inputCropLayer(options);
  if (crop !== null) model.add(crop);
  filters.forEach((f, i) => {
    for (let k = 0; k < 2; k++) {
      model.add(tf.layers.conv2d({
        ...(i === 0 && k === 0 && crop === null ? { inputShape: options.inputShape } : {}),
        filters: f,
        kernelSize: 3,
        padding: "same",
        kernelInitializer: seeds.glorot(),
      }));
      model.add(batchNormalization());
      model.add(tf.layers.reLU());
    }
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: options.denseUnits ?? 256, kernelInitializer: seeds.glorot() }));
  model.add(batchNormalization());
  model.add(tf.layers.reLU());
  model.add(seededDropout({ rate: options.headDropout ?? 0.5, seed: seeds.next() }));
  model.add(tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }));
  return model;
}
