/**
 * The model registry: one entry point from a config to a model.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { buildCapstoneCnn } from "./build_capstone_cnn.ts";
import { buildMobilenetV2Like } from "./build_mobilenet_v2_like.ts";
import { buildResnetLike } from "./build_resnet_like.ts";
import { buildSmallCnn } from "./build_small_cnn.ts";
import { buildVggLike } from "./build_vgg_like.ts";
import { buildXceptionLike } from "./build_xception_like.ts";
import { MODEL_FAMILIES, type ModelConfig } from "./model_config.ts";

/**
 * Builds the model a config names. Widths and other family options keep their
 * builder's defaults when left out.
 *
 * @param config The family and its options (input shape, class count, seed, ...).
 * @returns An uncompiled model with a softmax output of `numClasses` units.
 * @throws {ConfigError} When the family is unknown or the options do not fit.
 * @example
 * ```ts
 * const model = buildModel({ family: "small_cnn", inputShape: [48, 48, 1], numClasses: 4, seed: 42 });
 * console.assert(model.outputs[0].shape[1] === 4);
 * ```
 */
export function buildModel(config: ModelConfig): tf.LayersModel {
  switch (config.family) {
    case "small_cnn":
      return buildSmallCnn(config);
    case "capstone_cnn":
      return buildCapstoneCnn(config);
    case "vgg_like":
      return buildVggLike(config);
    case "resnet_like":
      return buildResnetLike(config);
    case "mobilenet_v2_like":
      return buildMobilenetV2Like(config);
    case "xception_like":
      return buildXceptionLike(config);
  }
  // Reached only when a config from JSON bypassed the types.
  const family: unknown = (config as { family: unknown }).family;
  throw new ConfigError(
    `Unknown model family "${family}" at model.family; known: ${MODEL_FAMILIES.join(", ")}`,
  );
}
