/**
 * The ResNet-style CNN: residual blocks with batch norm and 1x1 projections.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch_normalization.ts";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
import { croppedInput } from "./input_crop.ts";
import { LayerSeeds } from "./layer_seeds.ts";

/** Options of {@linkcode buildResnetLike}. */
export interface ResnetLikeOptions extends BaseModelOptions {
  /** Filters of each stage; every stage after the first halves the size. @default [32, 64, 128] */
  filters?: number[];
  /** Residual blocks per stage. @default 2 */
  blocksPerStage?: number;
}

type SymbolicTensor = tf.SymbolicTensor;

const DEFAULT_FILTERS: readonly number[] = [32, 64, 128];

/**
 * Checks a ResNet-style net's options without building it: the input shape, the crop and
 * the class count against its downsampling stages (see checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkResnetLikeOptions(options: ResnetLikeOptions): void {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkModelOptions("resnet_like", options, filters.length - 1);
}

/**
 * Builds the ResNet-style CNN: a 3x3 conv stem, then per stage
 * `blocksPerStage` basic blocks (conv 3x3 -> BN -> ReLU -> conv 3x3 -> BN, plus
 * the shortcut, then ReLU). The first block of a later stage has stride 2 and
 * a 1x1 conv + BN projection shortcut; the others add their input unchanged.
 * Global average pooling and a softmax layer end it.
 *
 * @param options Input shape, class count, seed and widths.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildResnetLike({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildResnetLike(options: ResnetLikeOptions): tf.LayersModel {
  const filters = options.filters ?? DEFAULT_FILTERS;
  const blocks = options.blocksPerStage ?? 2;
  checkResnetLikeOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const conv = (x: SymbolicTensor, f: number, kernelSize: number, strides: number) =>
    tf.layers.conv2d({
      filters: f,
      kernelSize,
      strides,
      padding: "same",
      useBias: false,
      kernelInitializer: seeds.glorot(),
    }).apply(x) as SymbolicTensor;
  const bn = (x: SymbolicTensor) => batchNormalization().apply(x) as SymbolicTensor;
  const relu = (x: SymbolicTensor) => tf.layers.reLU().apply(x) as SymbolicTensor;

  const input = tf.input({ shape: options.inputShape });
  let x = relu(bn(conv(croppedInput(input, options), filters[0], 3, 1)));
  let channels = filters[0];
  filters.forEach((f, stage) => {
    for (let b = 0; b < blocks; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      const shortcut = strides !== 1 || channels !== f ? bn(conv(x, f, 1, strides)) : x;
      const y = bn(conv(relu(bn(conv(x, f, 3, strides))), f, 3, 1));
      x = relu(tf.layers.add().apply([y, shortcut]) as SymbolicTensor);
      channels = f;
    }
  });
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const output = tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }).apply(pooled) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
