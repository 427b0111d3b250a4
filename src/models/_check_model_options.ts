/**
 * Checks the options every builder shares, before any layer is made.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { BaseModelOptions } from "./base_model_options.ts";

/**
 * Checks the input shape, that it survives `halvings` stride-2 stages once
 * `inputCrop` is cut from its borders, and the class count.
 *
 * @param family Model family name, for the messages.
 * @param options The builder's options.
 * @param halvings How many times the builder halves the spatial size.
 * @throws {ConfigError} Naming the field, the value found and what to use.
 * @example
 * ```ts
 * checkModelOptions("small_cnn", { inputShape: [48, 48, 1], numClasses: 4, seed: 0 }, 3); // passes
 * ```
 */
export function checkModelOptions(
  family: string,
  options: BaseModelOptions,
  halvings: number,
): void {
  const { inputShape, numClasses } = options;
  const valid = Array.isArray(inputShape) && inputShape.length === 3 &&
    inputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!valid) {
    throw new ConfigError(
      `Input shape [${inputShape}] for ${family} is not [height, width, channels] ` +
        `with positive integers; use for example [48, 48, 1]`,
    );
  }
  const needed = 2 ** halvings;
  if (inputShape[0] < needed || inputShape[1] < needed) {
    throw new ConfigError(
      `Input ${inputShape[0]}x${inputShape[1]} is too small for ${family}: its ${halvings} ` +
        `downsampling stages need at least ${needed}x${needed}; use a larger input (dataset.size in a run config) or fewer stages`,
    );
  }
  const crop = options.inputCrop ?? 0;
  const largest = Math.floor((Math.min(inputShape[0], inputShape[1]) - needed) / 2);
  if (!Number.isInteger(crop) || crop < 0 || crop > largest) {
    throw new ConfigError(
      `model.inputCrop ${crop} for ${family} is not a whole number of pixels in [0, ${largest}]: a ${inputShape[0]}x${inputShape[1]} ` +
        `input cropped by it must keep ${needed}x${needed} for its ${halvings} downsampling stages; use for example 4 (40x40 of 48x48), or 0 for none`,
    );
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new ConfigError(
      `numClasses ${numClasses} for ${family} is not an integer of at least 2; ` +
        `use the number of class folders, for example 4`,
    );
  }
}
