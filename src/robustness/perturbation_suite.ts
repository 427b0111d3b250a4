/**
 * The perturbation suite: every perturbation by name, and the functions that
 * apply one to an image or a whole image set, seeded.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import { imageLength, type ImageSet, makeImageSet } from "../data/image_set.ts";
import { LIGHTING_PERTURBATIONS } from "./lighting_perturbations.ts";
import { OCCLUSION_PERTURBATIONS } from "./occlusion_perturbations.ts";
import type { Perturbation } from "./perturbation.ts";
import { POSE_PERTURBATIONS } from "./pose_perturbations.ts";
import { QUALITY_PERTURBATIONS } from "./quality_perturbations.ts";

/**
 * Every perturbation of the suite, family by family (22 in all).
 *
 * @example
 * ```ts
 * console.assert(PERTURBATIONS.length === 22);
 * ```
 */
export const PERTURBATIONS: readonly Perturbation[] = [
  ...LIGHTING_PERTURBATIONS,
  ...QUALITY_PERTURBATIONS,
  ...OCCLUSION_PERTURBATIONS,
  ...POSE_PERTURBATIONS,
];

/**
 * Looks perturbations up by name or family.
 *
 * @param names Perturbation or family names (`lighting`, `quality`, `occlusion`, `pose`).
 * @returns The perturbations, in suite order, each once.
 * @throws {ConfigError} Naming an unknown name and listing the known ones.
 * @example
 * ```ts
 * console.assert(selectPerturbations(["pose", "jpeg"]).length === 5);
 * ```
 */
export function selectPerturbations(names: readonly string[]): Perturbation[] {
  for (const name of names) {
    if (!PERTURBATIONS.some((p) => p.name === name || p.family === name)) {
      throw new ConfigError(
        `Unknown perturbation "${name}"; known: ${PERTURBATIONS.map((p) => p.name).join(", ")}, or a family: lighting, quality, occlusion, pose`,
      );
    }
  }
  return PERTURBATIONS.filter((p) => names.includes(p.name) || names.includes(p.family));
}

/**
 * Applies a perturbation to one image, on each channel with the same random draws.
 *
 * @param pixels `height * width * channels` uint8 pixels, channels last.
 * @param shape Height, width and channels.
 * @param options The perturbation, the severity (0 = the clean image, returned as a copy; 1-5) and the image's seed.
 * @returns New pixels, rounded and clamped to 0-255.
 * @throws {ConfigError} When the severity is not a whole number from 0 to 5.
 * @example
 * ```ts
 * const image = new Uint8Array(48 * 48).fill(100);
 * const shape = { height: 48, width: 48, channels: 1 };
 * const brighter = perturbImage(image, shape, { perturbation: PERTURBATIONS[0], severity: 1, seed: 1 });
 * console.assert(brighter[0] === 126);
 * ```
 */
export function perturbImage(
  pixels: Uint8Array,
  shape: { height: number; width: number; channels: number },
  options: { perturbation: Perturbation; severity: number; seed: number },
): Uint8Array {
  const { perturbation, severity } = options;
  if (!Number.isInteger(severity) || severity < 0 || severity > 5) {
    throw new ConfigError(`Severity ${severity} is not allowed; use a whole number from 0 (clean) to 5 (most severe)`);
  }
  if (severity === 0) return Uint8Array.from(pixels);
  const { height, width, channels } = shape;
  const out = new Uint8Array(pixels.length);
  const plane = new Float32Array(height * width);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = pixels[i * channels + c];
    const changed = perturbation.apply(plane, { height, width }, severity as 1 | 2 | 3 | 4 | 5, makeRng(options.seed));
    for (let i = 0; i < plane.length; i++) out[i * channels + c] = Math.min(255, Math.max(0, Math.round(changed[i])));
  }
  return out;
}

/**
 * Applies a perturbation to every image of a set. Image `i` gets its own
 * generator, seeded from `seed`, the perturbation's name and `i`, so a result
 * does not depend on which other perturbations or images run, and every
 * severity reuses the same random placement.
 *
 * @param set The clean images.
 * @param options The perturbation, severity (0-5) and suite seed.
 * @returns A new set with the same labels and paths.
 * @example
 * ```ts
 * const noisy = perturbImageSet(validation, { perturbation: selectPerturbations(["gaussian_noise"])[0], severity: 3, seed: 42 });
 * ```
 */
export function perturbImageSet(
  set: ImageSet,
  options: { perturbation: Perturbation; severity: number; seed: number },
): ImageSet {
  const length = imageLength(set);
  const pixels = new Uint8Array(set.pixels.length);
  const base = hashName(options.perturbation.name) ^ options.seed;
  for (let i = 0; i < set.count; i++) {
    const image = set.pixels.subarray(i * length, (i + 1) * length);
    pixels.set(perturbImage(image, set, { ...options, seed: imageSeed(base, i) }), i * length);
  }
  return makeImageSet({ pixels, labels: set.labels, paths: set.paths }, set);
}

/** FNV-1a hash of a name, as an unsigned 32-bit integer. */
function hashName(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Mixes a base seed and an image index into a well-spread 32-bit seed. */
function imageSeed(base: number, index: number): number {
  let h = (base ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
