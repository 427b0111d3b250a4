/**
 * The Xception-style CNN: separable convs with residual shortcuts.
 *
 * Its shape is mini-Xception (Arriaga et al. 2017, the FER-2013 model that
 * @vladmandic/human ships): a two-conv stem, then modules of two separable
 * convs and a strided max-pool, added to a 1x1 strided conv shortcut.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch_normalization.ts";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
import { croppedInput } from "./input_crop.ts";
import { LayerSeeds } from "./layer_seeds.ts";

/** Options of {@linkcode buildXceptionLike}. */
export interface XceptionLikeOptions extends BaseModelOptions {
  /** Filters of both 3x3 stem convs. @default 8 */
  stemFilters?: number;
  /** Filters of each residual module; each halves the size. @default [16, 32, 64, 128] */
  filters?: number[];
}

type SymbolicTensor = tf.SymbolicTensor;

const DEFAULT_FILTERS: readonly number[] = [16, 32, 64, 128];

/**
 * Checks an Xception-style net's options without building it: the input shape, the crop and
 * the class count against its downsampling stages (see checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkXceptionLikeOptions(options: XceptionLikeOptions): void {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkModelOptions("xception_like", options, filters.length);
}

/**
 * Builds the Xception-style CNN. Stem: two times (conv 3x3 -> BN -> ReLU).
 * Module: separable 3x3 -> BN -> ReLU -> separable 3x3 -> BN -> 3x3 max-pool
 * with stride 2, plus a 1x1 stride-2 conv -> BN shortcut. Global average
 * pooling and a softmax layer end it.
 *
 * @param options Input shape, class count, seed and widths.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildXceptionLike({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildXceptionLike(options: XceptionLikeOptions): tf.LayersModel {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkXceptionLikeOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const bn = (x: SymbolicTensor) => batchNormalization().apply(x) as SymbolicTensor;
  const relu = (x: SymbolicTensor) => tf.layers.reLU().apply(x) as SymbolicTensor;
  const conv = (x: SymbolicTensor, f: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({
      filters: f,
      kernelSize,
      strides,
      padding: "same",
      useBias: false,
      kernelInitializer: seeds.glorot(),
    }).apply(x) as SymbolicTensor;
  const separable = (x: SymbolicTensor, f: number) =>
    tf.layers.separableConv2d({
      filters: f,
      kernelSize: 3,
      padding: "same",
      useBias: false,
      depthwiseInitializer: seeds.glorot(),
      pointwiseInitializer: seeds.glorot(),
    }).apply(x) as SymbolicTensor;

  const input = tf.input({ shape: options.inputShape });
  const stem = options.stemFilters ?? 8;
  let x = relu(bn(conv(relu(bn(conv(croppedInput(input, options), stem, 3, 1))), stem, 3, 1)));
  for (const f of filters) {
    const shortcut = bn(conv(x, f, 1, 2));
    let y = bn(separable(relu(bn(separable(x, f))), f));
    y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: "same" }).apply(y) as SymbolicTensor;
    x = tf.layers.add().apply([y, shortcut]) as SymbolicTensor;
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const output = tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }).apply(pooled) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
