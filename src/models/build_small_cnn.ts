/**
 * The small CNN: three conv + max-pool stages and a dense head.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
import { inputCropLayer } from "./input_crop.ts";
import { LayerSeeds } from "./layer_seeds.ts";

/** Options of {@linkcode buildSmallCnn}. */
export interface SmallCnnOptions extends BaseModelOptions {
  /** Filters of each 3x3 conv stage, each followed by a 2x2 max-pool. @default [32, 64, 128] */
  filters?: number[];
  /** Units of the hidden dense layer. @default 128 */
  denseUnits?: number;
}

const DEFAULT_FILTERS: readonly number[] = [32, 64, 128];

/**
 * Checks a small CNN's options without building it: the input shape, the crop and
 * the class count against its downsampling stages (see checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkSmallCnnOptions(options: SmallCnnOptions): void {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkModelOptions("small_cnn", options, filters.length);
}

/**
 * Builds the small CNN: for each stage conv 3x3 (same, ReLU) then 2x2 max-pool;
 * then flatten, dense ReLU and a softmax output. With the defaults on 48x48x1
 * it has about 0.68M parameters, and it is the fast model of the benchmarks.
 *
 * @param options Input shape, class count, seed and widths.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildSmallCnn({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildSmallCnn(options: SmallCnnOptions): tf.LayersModel {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkSmallCnnOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const model = tf.sequential();
  const crop = inputCropLayer(options);
  if (crop !== null) model.add(crop);
  filters.forEach((f, i) => {
    model.add(tf.layers.conv2d({
      ...(i === 0 && crop === null ? { inputShape: options.inputShape } : {}),
      filters: f,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      kernelInitializer: seeds.glorot(),
    }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({
    units: options.denseUnits ?? 128,
    activation: "relu",
    kernelInitializer: seeds.glorot(),
  }));
  model.add(tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }));
  return model;
}
