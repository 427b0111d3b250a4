/**
 * The capstone CNN: five conv blocks with batch norm and dropout.
 *
 * It follows the best public runs of the 4-class capstone (see
 * FIELD-NOTES.md): each block is conv 3x3 -> batch norm -> LeakyReLU ->
 * 2x2 max-pool -> dropout, then a dense head with batch norm and dropout.
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

/** Options of {@linkcode buildCapstoneCnn}. */
export interface CapstoneCnnOptions extends BaseModelOptions {
  /** Filters of the conv blocks, one 2x2 max-pool each. @default [32, 64, 128, 256, 512] */
  filters?: number[];
  /** Units of the hidden dense layer. @default 256 */
  denseUnits?: number;
  /** Dropout rate after each conv block, in [0, 1). @default 0.2 */
  blockDropout?: number;
  /** Dropout rate before the output layer, in [0, 1). @default 0.5 */
  headDropout?: number;
  /** Negative slope of the LeakyReLU activations. @default 0.1 */
  leakyAlpha?: number;
}

const DEFAULT_FILTERS: readonly number[] = [32, 64, 128, 256, 512];

/**
 * Checks a capstone CNN's options without building it: the input shape, the crop and
 * the class count against its downsampling stages (see checkModelOptions).
 *
 * @param options The builder's options.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 */
export function checkCapstoneCnnOptions(options: CapstoneCnnOptions): void {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkModelOptions("capstone_cnn", options, filters.length);
}

/**
 * Builds the capstone CNN. Its dropout layers are seeded from `seed` too, so
 * a run's masks are reproducible (see seeded_dropout.ts).
 *
 * @param options Input shape, class count, seed, widths and dropout rates.
 * @returns An uncompiled model mapping `[n, h, w, c]` to `[n, numClasses]` probabilities.
 * @example
 * ```ts
 * const model = buildCapstoneCnn({ inputShape: [48, 48, 1], numClasses: 4, seed: 1 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildCapstoneCnn(options: CapstoneCnnOptions): tf.LayersModel {
  const filters = options.filters ?? DEFAULT_FILTERS;
  checkCapstoneCnnOptions(options);
  const seeds = new LayerSeeds(options.seed);
  const alpha = options.leakyAlpha ?? 0.1;
  const model = tf.sequential();
  const crop = inputCropLayer(options);
  if (crop !== null) model.add(crop);
  filters.forEach((f, i) => {
    model.add(tf.layers.conv2d({
      ...(i === 0 && crop === null ? { inputShape: options.inputShape } : {}),
      filters: f,
      kernelSize: 3,
      padding: "same",
      kernelInitializer: seeds.glorot(),
    }));
    model.add(batchNormalization());
    model.add(tf.layers.leakyReLU({ alpha }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(seededDropout({ rate: options.blockDropout ?? 0.2, seed: seeds.next() }));
  });
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: options.denseUnits ?? 256, kernelInitializer: seeds.glorot() }));
  model.add(batchNormalization());
  model.add(tf.layers.leakyReLU({ alpha }));
  model.add(seededDropout({ rate: options.headDropout ?? 0.5, seed: seeds.next() }));
  model.add(tf.layers.dense({
    units: options.numClasses,
    activation: "softmax",
    kernelInitializer: seeds.glorot(),
  }));
  return model;
}
