/**
 * Model architectures: one builder per family and a registry over them.
 *
 * Every builder takes `{ inputShape, numClasses, seed, ...family options }`
 * and returns an uncompiled `tf.LayersModel` with a softmax output; the same
 * seed gives the same initial weights on every backend.
 *
 * @module
 */
export type { BaseModelOptions } from "./base_model_options.ts";
export { buildCapstoneCnn, type CapstoneCnnOptions } from "./build_capstone_cnn.ts";
export { buildModel, checkModel } from "./build_model.ts";
export {
  buildMobilenetV2Like,
  type InvertedResidualStage,
  type MobilenetV2LikeOptions,
} from "./build_mobilenet_v2_like.ts";
export { buildResnetLike, type ResnetLikeOptions } from "./build_resnet_like.ts";
export { buildSmallCnn, type SmallCnnOptions } from "./build_small_cnn.ts";
export { buildVggLike, type VggLikeOptions } from "./build_vgg_like.ts";
export { buildXceptionLike, type XceptionLikeOptions } from "./build_xception_like.ts";
export { ChannelZeroPad, channelZeroPad } from "./channel_zero_pad.ts";
export { CUSTOM_LAYER_CLASSES } from "./custom_layers.ts";
export { InputAdapter, inputAdapter, type InputAdapterArgs } from "./input_adapter.ts";
export { LayerSeeds } from "./layer_seeds.ts";
export { SelectClasses, selectClasses, selectClassRows } from "./select_classes.ts";
export { dropoutCallCounts, restoreDropoutCallCounts, SeededDropout, seededDropout, type SeededDropoutArgs } from "./seeded_dropout.ts";
export { MODEL_FAMILIES, type ModelConfig, type ModelFamily } from "./model_config.ts";
