/**
 * What a perturbation is: a named, seeded change of a face image with five
 * severities (the corruption-benchmark convention of Hendrycks and Dietterich
 * 2019), grouped in families.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import type { Plane } from "./_image_ops.ts";

/** The four groups of the suite: how the image was taken, not what the face shows. */
export type PerturbationFamily = "lighting" | "quality" | "occlusion" | "pose";

/** The family names, in report order. */
export const PERTURBATION_FAMILIES: readonly PerturbationFamily[] = ["lighting", "quality", "occlusion", "pose"];

/** A severity of the suite: 1 (mild) to 5 (severe). Severity 0, the clean image, is handled by `perturbImage`. */
export type Severity = 1 | 2 | 3 | 4 | 5;

/** The severities every perturbation is evaluated at. */
export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4, 5];

/** One perturbation of the suite. */
export interface Perturbation {
  /** snake_case name, as robustness.json and `--only` spell it. */
  name: string;
  family: PerturbationFamily;
  /** What it does and the parameter at severities 1-5, for reports and `--help`. */
  description: string;
  /**
   * Changes one single-channel image. Draws from `rng` in an order that does not
   * depend on the severity, so one image gets the same random placement at every
   * severity and only the strength grows.
   *
   * @param image Gray levels 0-255, `height * width`, not changed.
   * @param plane The image size.
   * @param severity 1-5.
   * @param rng The image's own generator.
   * @returns A new image (values may leave 0-255; the caller rounds and clamps).
   */
  apply(image: Float32Array, plane: Plane, severity: Severity, rng: Rng): Float32Array;
}

/**
 * The parameter of a severity from a table of five.
 *
 * @param levels Parameter at severities 1-5.
 * @param severity 1-5.
 * @returns `levels[severity - 1]`.
 * @example
 * ```ts
 * console.assert(level([1, 2, 3, 4, 5], 3) === 3);
 * ```
 */
export function level(levels: readonly [number, number, number, number, number], severity: Severity): number {
  return levels[severity - 1];
}
