/**
 * The model section of a run config: a union tagged by `family`.
 *
 * @module
 */
import type { CapstoneCnnOptions } from "./build_capstone_cnn.ts";
import type { MobilenetV2LikeOptions } from "./build_mobilenet_v2_like.ts";
import type { ResnetLikeOptions } from "./build_resnet_like.ts";
import type { SmallCnnOptions } from "./build_small_cnn.ts";
import type { VggLikeOptions } from "./build_vgg_like.ts";
import type { XceptionLikeOptions } from "./build_xception_like.ts";

/** Every family {@linkcode ModelConfig} knows, in the order errors list them. */
export const MODEL_FAMILIES = Object.freeze(
  [
    "small_cnn",
    "capstone_cnn",
    "vgg_like",
    "resnet_like",
    "mobilenet_v2_like",
    "xception_like",
  ] as const,
);

/** One of {@linkcode MODEL_FAMILIES}. */
export type ModelFamily = typeof MODEL_FAMILIES[number];

/**
 * A model's config: its family and that family's builder options.
 *
 * @example
 * ```ts
 * const config: ModelConfig = { family: "vgg_like", inputShape: [48, 48, 1], numClasses: 4, seed: 1, headDropout: 0.3 };
 * console.assert(MODEL_FAMILIES.includes(config.family));
 * ```
 */
export type ModelConfig =
  | ({ family: "small_cnn" } & SmallCnnOptions)
  | ({ family: "capstone_cnn" } & CapstoneCnnOptions)
  | ({ family: "vgg_like" } & VggLikeOptions)
  | ({ family: "resnet_like" } & ResnetLikeOptions)
  | ({ family: "mobilenet_v2_like" } & MobilenetV2LikeOptions)
  | ({ family: "xception_like" } & XceptionLikeOptions);
