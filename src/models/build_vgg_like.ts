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
import { ConfigError } from "../core/errors.ts";
import { batchNormalization } from "./batch_normalization.ts";
import type { BaseModelOptions } from "./base_model_options.ts";
import { checkModelOptions } from "./_check_model_options.ts";
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
  /**
   * Pixels cut from each border of the input before the first conv (a
   * Cropping2D layer): the net sees the centre `(h - 2c) x (w - 2c)`. With
   * shift augmentation of up to `c` pixels this is random-crop training (Khaireddin
   * and Chen's 40x40 crops of 48x48 faces with `c` = 4), and TTA shifts of `c` pixels
   * give the corner crops; every pass costs about `((h - 2c) / h)^2` of the uncropped net's. @default 0
   */
  inputCrop?: number;
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
  const filters = options.filters ?? [64, 128, 256, 512];
  checkModelOptions("vgg_like", options, filters.length);
  const crop = checkInputCrop(options, filters.length);
  const seeds = new LayerSeeds(options.seed);
  const model = tf.sequential();
  // The crop takes no seed, so a cropped net starts from the weights of the same net built for the cropped size.
  if (crop > 0) model.add(tf.layers.cropping2D({ cropping: [[crop, crop], [crop, crop]], inputShape: options.inputShape }));
  filters.forEach((f, i) => {
    for (let k = 0; k < 2; k++) {
      model.add(tf.layers.conv2d({
        ...(i === 0 && k === 0 && crop === 0 ? { inputShape: options.inputShape } : {}),
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

/** The crop, checked: whole pixels that leave the blocks' 2x2 pools an image of at least 2^blocks on a side. */
function checkInputCrop(options: VggLikeOptions, blocks: number): number {
  const crop = options.inputCrop ?? 0;
  const [height, width] = options.inputShape;
  const largest = Math.floor((Math.min(height, width) - 2 ** blocks) / 2);
  if (!Number.isInteger(crop) || crop < 0 || crop > largest) {
    throw new ConfigError(
      `model.inputCrop ${crop} for vgg_like is not a whole number of pixels in [0, ${largest}]: a ${height}x${width} input ` +
        `cropped by it must keep ${2 ** blocks}x${2 ** blocks} for the ${blocks} blocks' pools; use for example 4 (40x40 of 48x48), or 0 for none`,
    );
  }
  return crop;
}
