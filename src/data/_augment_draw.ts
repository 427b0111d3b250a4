/**
 * Draws per-image augmentation parameters from a resolved config.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import type { ResolvedAugmentation } from "./augmentation_config.ts";
import type { TransformParams } from "./_augment_apply.ts";

/** Aspect ratios (height / width) of erased rectangles, as in random erasing (Zhong et al., 2020). */
const MIN_ASPECT = 0.3;
const MAX_ASPECT = 1 / MIN_ASPECT;

/**
 * Draws one {@linkcode TransformParams} per image. Each image draws, in this
 * order and only for the parts that are on: flip, rotation, shift x, shift y,
 * zoom, brightness, contrast, erasing (chance, area, aspect, top, left), noise
 * (standard deviation, then a seed for its pixels). So the
 * same config, shape and generator state give the same parameters.
 *
 * @param config A resolved config.
 * @param shape Batch size and image size.
 * @param rng The generator; it advances.
 * @returns The parameters, one per image.
 * @example
 * ```ts
 * const params = drawTransformParams(resolveAugmentation({ horizontalFlip: true }), { count: 2, height: 48, width: 48 }, makeRng(0));
 * console.assert(params.length === 2 && typeof params[0].flip === "boolean");
 * ```
 */
export function drawTransformParams(
  config: ResolvedAugmentation,
  shape: { count: number; height: number; width: number },
  rng: Rng,
): TransformParams[] {
  const symmetric = (max: number) => rng.uniform(-max, max);
  return Array.from({ length: shape.count }, () => {
    const params: TransformParams = {};
    if (config.horizontalFlip) params.flip = rng.bernoulli(0.5);
    if (config.rotationDegrees > 0) params.rotationDegrees = symmetric(config.rotationDegrees);
    if (config.shiftFraction > 0) {
      params.shiftX = symmetric(config.shiftFraction);
      params.shiftY = symmetric(config.shiftFraction);
    }
    if (config.zoomFraction > 0) params.zoom = 1 + symmetric(config.zoomFraction);
    if (config.brightness > 0) params.brightness = symmetric(config.brightness);
    if (config.contrast > 0) params.contrast = 1 + symmetric(config.contrast);
    const erasing = config.erasing;
    if (erasing !== null && erasing.probability > 0 && rng.bernoulli(erasing.probability)) {
      params.erase = { ...drawRectangle(rng.uniform(erasing.minArea, erasing.maxArea), shape, rng), fill: erasing.fill };
    }
    if (config.noise > 0) params.noise = { std: rng.uniform(0, config.noise), seed: rng.int(2 ** 32) };
    return params;
  });
}

/**
 * A rectangle covering about `area` of the image, with a log-uniform aspect
 * ratio limited so that the rectangle fits (an area of 1 is the whole image).
 */
function drawRectangle(
  area: number,
  shape: { height: number; width: number },
  rng: Rng,
): { top: number; left: number; height: number; width: number } {
  const { height, width } = shape;
  const pixels = area * height * width;
  const low = Math.max(Math.log(MIN_ASPECT), Math.log((area * height) / width));
  const high = Math.min(Math.log(MAX_ASPECT), Math.log(height / (area * width)));
  const aspect = Math.exp(rng.uniform(low, high));
  const rows = clamp(Math.round(Math.sqrt(pixels * aspect)), 1, height);
  const columns = clamp(Math.round(Math.sqrt(pixels / aspect)), 1, width);
  return { top: rng.int(height - rows + 1), left: rng.int(width - columns + 1), height: rows, width: columns };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
