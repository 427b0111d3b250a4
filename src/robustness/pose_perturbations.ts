/**
 * Pose and framing perturbations: the geometric changes a face detector or a
 * turned head brings (in-plane rotation, yaw-like shear, scale and off-centre crops).
 *
 * @module
 */
import { warpImage } from "./_image_ops.ts";
import { level, type Perturbation } from "./perturbation.ts";

/**
 * In-plane rotation, horizontal shear (a yaw stand-in: a 2-D image cannot
 * turn a head), scale (detector boxes too tight or too loose) and shifted
 * crops (detector jitter). Directions are drawn per image; borders are
 * extended from the edge pixels.
 *
 * @example
 * ```ts
 * console.assert(POSE_PERTURBATIONS.length === 4);
 * ```
 */
export const POSE_PERTURBATIONS: readonly Perturbation[] = [
  {
    name: "rotation",
    family: "pose",
    description: "in-plane rotation by 5, 10, 15, 22, 30 degrees, clockwise or not (drawn per image)",
    apply: (image, plane, severity, rng) => {
      const angle = (rng.next() < 0.5 ? -1 : 1) * level([5, 10, 15, 22, 30], severity) * Math.PI / 180;
      const cy = (plane.height - 1) / 2, cx = (plane.width - 1) / 2;
      const cos = Math.cos(angle), sin = Math.sin(angle);
      return warpImage(image, plane, (y, x) => [cy + (y - cy) * cos - (x - cx) * sin, cx + (y - cy) * sin + (x - cx) * cos]);
    },
  },
  {
    name: "shear_yaw",
    family: "pose",
    description: "horizontal shear by 0.06, 0.12, 0.18, 0.25, 0.32 of the height, either way (a yaw stand-in)",
    apply: (image, plane, severity, rng) => {
      const shear = (rng.next() < 0.5 ? -1 : 1) * level([0.06, 0.12, 0.18, 0.25, 0.32], severity);
      const cy = (plane.height - 1) / 2;
      return warpImage(image, plane, (y, x) => [y, x + shear * (y - cy)]);
    },
  },
  {
    name: "scale",
    family: "pose",
    description: "zoom in or out (drawn per image) by a factor of 1.08, 1.15, 1.22, 1.3, 1.4",
    apply: (image, plane, severity, rng) => {
      const factor = level([1.08, 1.15, 1.22, 1.3, 1.4], severity);
      const zoom = rng.next() < 0.5 ? factor : 1 / factor;
      const cy = (plane.height - 1) / 2, cx = (plane.width - 1) / 2;
      return warpImage(image, plane, (y, x) => [cy + (y - cy) / zoom, cx + (x - cx) / zoom]);
    },
  },
  {
    name: "crop_shift",
    family: "pose",
    description: "off-centre crop: the frame shifted by 4, 8, 12, 17, 22 % of the width in a random direction",
    apply: (image, plane, severity, rng) => {
      const distance = level([0.04, 0.08, 0.12, 0.17, 0.22], severity) * plane.width;
      const angle = rng.uniform(0, 2 * Math.PI);
      const dy = distance * Math.sin(angle), dx = distance * Math.cos(angle);
      return warpImage(image, plane, (y, x) => [y + dy, x + dx]);
    },
  },
];
