/**
 * The workbench's custom layers, registered with tfjs in one place. A saved
 * model may hold any of them (a from-scratch model its seeded dropout, a
 * transfer model its input adapter, channel padding and class selection), so
 * whatever loads a model (the run store's loadModel, the live page) imports
 * this module first; importing a layer's module registers its class.
 *
 * @module
 */
import { ChannelZeroPad } from "./channel_zero_pad.ts";
import { InputAdapter } from "./input_adapter.ts";
import { SeededDropout } from "./seeded_dropout.ts";
import { SelectClasses } from "./select_classes.ts";

/**
 * The class names model.json files use for the custom layers, each
 * registered for deserialisation by the time this module has loaded.
 *
 * @example
 * ```ts
 * console.assert(CUSTOM_LAYER_CLASSES.includes("SeededDropout"));
 * ```
 */
export const CUSTOM_LAYER_CLASSES: readonly string[] = Object.freeze(
  [SeededDropout, ChannelZeroPad, InputAdapter, SelectClasses].map((layer) => layer.className),
);
