/**
 * The model registry: one entry point from a config to a model.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { buildCapstoneCnn, checkCapstoneCnnOptions } from "./build_capstone_cnn.ts";
import { buildMobilenetV2Like, checkMobilenetV2LikeOptions } from "./build_mobilenet_v2_like.ts";
import { buildResnetLike, checkResnetLikeOptions } from "./build_resnet_like.ts";
import { buildSmallCnn, checkSmallCnnOptions } from "./build_small_cnn.ts";
import { buildVggLike, checkVggLikeOptions } from "./build_vgg_like.ts";
import { buildXceptionLike, checkXceptionLikeOptions } from "./build_xception_like.ts";
import { MODEL_FAMILIES, type ModelConfig, type ModelFamily } from "./model_config.ts";

/** A family's builder and the check it runs first, which makes no layers. */
interface FamilyEntry<C> {
  build(config: C): tf.LayersModel;
  check(config: C): void;
}

/** Every family's entry, each taking its own options. */
const FAMILIES: { [F in ModelFamily]: FamilyEntry<Extract<ModelConfig, { family: F }>> } = {
  small_cnn: { build: buildSmallCnn, check: checkSmallCnnOptions },
  capstone_cnn: { build: buildCapstoneCnn, check: checkCapstoneCnnOptions },
  vgg_like: { build: buildVggLike, check: checkVggLikeOptions },
  resnet_like: { build: buildResnetLike, check: checkResnetLikeOptions },
  mobilenet_v2_like: { build: buildMobilenetV2Like, check: checkMobilenetV2LikeOptions },
  xception_like: { build: buildXceptionLike, check: checkXceptionLikeOptions },
};

/** The registry entry of a config's family; a family from JSON that bypassed the types is an error. */
function familyOf(config: ModelConfig): FamilyEntry<ModelConfig> {
  const family: unknown = config.family;
  if (typeof family !== "string" || !Object.hasOwn(FAMILIES, family)) {
    throw new ConfigError(`Unknown model family "${family}" at model.family; known: ${MODEL_FAMILIES.join(", ")}`);
  }
  // Each entry takes its own family's options; the config's tag picked the entry.
  return FAMILIES[family as ModelFamily] as FamilyEntry<ModelConfig>;
}

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
  return familyOf(config).build(config);
}

/**
 * Checks a model config as {@linkcode buildModel} would, without making a
 * layer: run configs are checked with it when parsed, so an option the
 * builder refuses (an input crop too large for the stages, too many stages
 * for the input) fails before data are loaded or a run folder is written.
 *
 * @param config The family and its options.
 * @throws {ConfigError} When the family is unknown or the options do not fit.
 * @example
 * ```ts
 * checkModel({ family: "vgg_like", inputShape: [48, 48, 1], numClasses: 7, seed: 1, inputCrop: 4 }); // passes
 * ```
 */
export function checkModel(config: ModelConfig): void {
  familyOf(config).check(config);
}
