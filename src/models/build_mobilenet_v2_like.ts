/**
 * The MobileNetV2-style CNN: inverted residuals with depthwise convs and ReLU6.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormalization } from "./batch_normalization.ts";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
import { croppedInput } from "./input_crop.ts";
import { LayerSeeds } from "./layer_seeds.ts";

/** One group of inverted residual blocks (a row of MobileNetV2's table). */
export interface InvertedResidualStage {
  /** Expansion factor t of the first 1x1 conv. */
  expansion: number;
  /** Output channels c. */
  filters: number;
  /** Blocks n in the group. */
  repeats: number;
  /** Stride s of the group's first block (1 or 2). */
  stride: number;
}

/** Options of {@linkcode buildMobilenetV2Like}. */
export interface MobilenetV2LikeOptions extends BaseModelOptions {
  /** Filters of the 3x3 stem conv (stride 1: faces are only 48 pixels wide). @default 16 */
  stemFilters?: number;
  /**
   * Stages of inverted residual blocks.
   * @default [{1,16,1,1}, {6,24,2,2}, {6,32,2,2}, {6,64,2,2}] as {expansion, filters, repeats, stride}
   */
  stages?: InvertedResidualStage[];
  /** Filters of the last 1x1 conv before pooling. @default 128 */
  headFilters?: number;
}

type SymbolicTensor = tf.SymbolicTensor;

const DEFAULT_STAGES: readonly InvertedResidualStage[] = [
  { expansion: 1, filters: 16, repeats: 1, stride: 1 },
  { expansion: 6, filters: 24, repeats: 2, stride: 2 },
  { expansion: 6, filters: 32, repeats: 2, stride: 2 },
  { expansion: 6, filters: 64, repeats: 2, stride: 2 },
];

/**
 * Checks a MobileNetV2-style net's options without building it: the input
 * shape, the crop and the class count against its stride-2 stages (see
 * checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkMobilenetV2LikeOptions(options: MobilenetV2LikeOptions): void {
  const stages = options.stages ?? DEFAULT_STAGES;
  checkModelOptions("mobilenet_v2_like", options, stages.filter((s) => s.stride === 2).length);
}

/**
 * Builds the MobileNetV2-style CNN. Each block: 1x1 expansion conv -> BN ->
 * ReLU6 (left out when the expansion is 1), depthwise 3x3 -> BN -> ReLU6,
 * 1x1 projection -> BN with no activation, and the input added back when the
 * stride is 1 and the channels match. A 1x1 head conv, global average pooling
 * and a softmax layer end it.
 *
 * @param options Input shape, class count, seed and stage table.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildMobilenetV2Like({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildMobilenetV2Like(options: MobilenetV2LikeOptions): tf.LayersModel {
  const stages = options.stages ?? DEFAULT_STAGES;
  checkMobilenetV2LikeOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const pointwise = (x: SymbolicTensor, f: number) =>
    tf.layers.conv2d({
      filters: f,
      kernelSize: 1,
      useBias: false,
      kernelInitializer: seeds.glorot(),
    }).apply(x) as SymbolicTensor;
  const bn = (x: SymbolicTensor) => batchNormalization().apply(x) as SymbolicTensor;
  const relu6 = (x: SymbolicTensor) =>
    tf.layers.activation({ activation: "relu6" }).apply(x) as SymbolicTensor;

  const input = tf.input({ shape: options.inputShape });
  let channels = options.stemFilters ?? 16;
  let x = relu6(bn(tf.layers.conv2d({
    filters: channels,
    kernelSize: 3,
    padding: "same",
    useBias: false,
    kernelInitializer: seeds.glorot(),
  }).apply(croppedInput(input, options)) as SymbolicTensor));
  for (const stage of stages) {
    for (let r = 0; r < stage.repeats; r++) {
      const strides = r === 0 ? stage.stride : 1;
      let y = stage.expansion === 1 ? x : relu6(bn(pointwise(x, channels * stage.expansion)));
      y = relu6(bn(tf.layers.depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: "same",
        useBias: false,
        depthwiseInitializer: seeds.glorot(),
      }).apply(y) as SymbolicTensor));
      y = bn(pointwise(y, stage.filters));
      x = strides === 1 && channels === stage.filters
        ? tf.layers.add().apply([x, y]) as SymbolicTensor
        : y;
      channels = stage.filters;
    }
  }
  x = relu6(bn(pointwise(x, options.headFilters ?? 128)));
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const output = tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }).apply(pooled) as SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
