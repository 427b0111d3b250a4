/**
 * The augmentation settings, their defaults and their ranges: what a run
 * config's `augmentation` section means, apart from the tensor work that
 * applies it (augment.ts).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** Random erasing of one rectangle per image (Zhong et al., 2020). */
export interface ErasingConfig {
  /** Chance that an image gets a rectangle, in [0, 1]. */
  probability: number;
  /** Smallest rectangle, as a fraction of the image area, in [0, 1]. */
  minArea: number;
  /** Largest rectangle, as a fraction of the image area, in [minArea, 1]. */
  maxArea: number;
  /** Fill with the image's mean value or with zero. @default "mean" */
  fill?: "mean" | "zero";
}

/**
 * Augmentation settings. Every field is optional and defaults to off; each
 * image of a batch draws its own parameters.
 */
export interface AugmentationConfig {
  /** Mirror left-right with probability 0.5. @default false */
  horizontalFlip?: boolean;
  /** Rotation drawn from [-r, r] degrees (counter-clockwise positive). @default 0 */
  rotationDegrees?: number;
  /** Shift drawn from [-s, s] of the width, and separately of the height, in [0, 1]. @default 0 */
  shiftFraction?: number;
  /** Zoom factor drawn from [1 - z, 1 + z] (above 1 enlarges the face), z in [0, 1). @default 0 */
  zoomFraction?: number;
  /**
   * Added delta drawn from [-b, b] as a fraction of the input's value range
   * (`valueRange`): with `scale_0_1` inputs, 0.1 adds up to +-0.1; with `none`, up to +-25.5. @default 0
   */
  brightness?: number;
  /** Contrast factor drawn from [1 - c, 1 + c] around each image's mean, c in [0, 1]. @default 0 */
  contrast?: number;
  /** Random erasing; null or absent for none. @default null */
  erasing?: ErasingConfig | null;
  /**
   * Additive Gaussian noise, as a camera's sensor adds it: each image draws a
   * standard deviation from [0, n] as a fraction of the input's value range
   * (`valueRange`) and every pixel gets its own draw; n in [0, 1]. @default 0
   */
  noise?: number;
  /** Sampling of rotation, shift and zoom; outside pixels repeat the nearest edge. @default "bilinear" */
  interpolation?: "nearest" | "bilinear";
  /**
   * Span of the input values, the unit of `brightness` (1 for `scale_0_1`, 255 for `none`).
   * Null measures each batch (its max minus its min). @default null
   */
  valueRange?: number | null;
}

/** {@linkcode AugmentationConfig} with every default filled in. */
export type ResolvedAugmentation = Required<Omit<AugmentationConfig, "erasing">> & {
  erasing: Required<ErasingConfig> | null;
};

/**
 * Fills in the defaults of an augmentation config and checks its ranges.
 *
 * @param config Partial settings.
 * @returns Settings with every field set.
 * @throws {ConfigError} Naming the field, the value found and the range allowed.
 * @example
 * ```ts
 * const resolved = resolveAugmentation({ rotationDegrees: 10 });
 * console.assert(resolved.rotationDegrees === 10 && resolved.horizontalFlip === false);
 * ```
 */
export function resolveAugmentation(config: AugmentationConfig = {}): ResolvedAugmentation {
  const resolved: ResolvedAugmentation = {
    horizontalFlip: config.horizontalFlip ?? false,
    rotationDegrees: check("rotationDegrees", config.rotationDegrees ?? 0, 0, 180, "10"),
    shiftFraction: check("shiftFraction", config.shiftFraction ?? 0, 0, 1, "0.1"),
    zoomFraction: check("zoomFraction", config.zoomFraction ?? 0, 0, 0.99, "0.1"),
    brightness: check("brightness", config.brightness ?? 0, 0, 1, "0.1"),
    contrast: check("contrast", config.contrast ?? 0, 0, 1, "0.1"),
    erasing: null,
    noise: check("noise", config.noise ?? 0, 0, 1, "0.05"),
    interpolation: config.interpolation ?? "bilinear",
    valueRange: config.valueRange ?? null,
  };
  if (resolved.interpolation !== "nearest" && resolved.interpolation !== "bilinear") {
    throw new ConfigError(`Augmentation interpolation "${resolved.interpolation}" is unknown; use "nearest" or "bilinear"`);
  }
  if (resolved.valueRange !== null && !(resolved.valueRange > 0 && Number.isFinite(resolved.valueRange))) {
    throw new ConfigError(`Augmentation valueRange ${resolved.valueRange} is not a positive number; use 1 or 255, or null to measure it`);
  }
  const erasing = config.erasing;
  if (erasing) {
    const probability = check("erasing.probability", erasing.probability, 0, 1, "0.5");
    const minArea = check("erasing.minArea", erasing.minArea, 0, 1, "0.02");
    const maxArea = check("erasing.maxArea", erasing.maxArea, minArea, 1, "0.2");
    const fill = erasing.fill ?? "mean";
    if (fill !== "mean" && fill !== "zero") {
      throw new ConfigError(`Augmentation erasing.fill "${fill}" is unknown; use "mean" or "zero"`);
    }
    resolved.erasing = { probability, minArea, maxArea, fill };
  }
  return resolved;
}

/**
 * True when a config changes nothing (every part off or zero).
 *
 * @param config Partial or resolved settings.
 * @returns Whether {@linkcode augmentBatch} would return a copy of its input.
 * @example
 * ```ts
 * console.assert(isAugmentationOff({}) && !isAugmentationOff({ horizontalFlip: true }));
 * ```
 */
export function isAugmentationOff(config: AugmentationConfig): boolean {
  const r = resolveAugmentation(config);
  return !r.horizontalFlip && r.rotationDegrees === 0 && r.shiftFraction === 0 && r.zoomFraction === 0 &&
    r.brightness === 0 && r.contrast === 0 && (r.erasing === null || r.erasing.probability === 0) && r.noise === 0;
}

function check(field: string, value: number, low: number, high: number, example: string): number {
  if (!(typeof value === "number" && value >= low && value <= high)) {
    throw new ConfigError(`Augmentation ${field} ${value} is outside [${low}, ${high}]; use a value such as ${example}`);
  }
  return value;
}
