/**
 * Lighting perturbations: brightness, gamma, contrast, light from one side,
 * and a cast shadow.
 *
 * @module
 */
import { level, type Perturbation } from "./perturbation.ts";

/**
 * Brightness up and down, gamma, contrast, a one-sided illumination gradient
 * and a shadow with a soft straight edge.
 *
 * @example
 * ```ts
 * console.assert(LIGHTING_PERTURBATIONS.some((p) => p.name === "gamma"));
 * ```
 */
export const LIGHTING_PERTURBATIONS: readonly Perturbation[] = [
  {
    name: "brightness_up",
    family: "lighting",
    description: "adds 10, 20, 30, 40, 50 % of white to every pixel",
    apply: (image, _plane, severity) => image.map((v) => v + 255 * level([0.1, 0.2, 0.3, 0.4, 0.5], severity)),
  },
  {
    name: "brightness_down",
    family: "lighting",
    description: "subtracts 10, 20, 30, 40, 50 % of white from every pixel",
    apply: (image, _plane, severity) => image.map((v) => v - 255 * level([0.1, 0.2, 0.3, 0.4, 0.5], severity)),
  },
  {
    name: "gamma",
    family: "lighting",
    description: "gamma 1.5, 2, 2.5, 3, 3.5 (dark mid-tones, as under-exposure)",
    apply: (image, _plane, severity) => {
      const gamma = level([1.5, 2, 2.5, 3, 3.5], severity);
      return image.map((v) => 255 * Math.pow(Math.max(v, 0) / 255, gamma));
    },
  },
  {
    name: "contrast",
    family: "lighting",
    description: "shrinks contrast around the image mean to 40, 30, 20, 10, 5 %",
    apply: (image, _plane, severity) => {
      const factor = level([0.4, 0.3, 0.2, 0.1, 0.05], severity);
      const mean = image.reduce((a, b) => a + b, 0) / image.length;
      return image.map((v) => mean + (v - mean) * factor);
    },
  },
  {
    name: "side_light",
    family: "lighting",
    description: "light from the left or right (drawn per image): the far side darkened by 30, 45, 60, 75, 90 %",
    apply: (image, plane, severity, rng) => {
      const depth = level([0.3, 0.45, 0.6, 0.75, 0.9], severity);
      const fromLeft = rng.next() < 0.5;
      const out = new Float32Array(image.length);
      for (let y = 0; y < plane.height; y++) {
        for (let x = 0; x < plane.width; x++) {
          const t = (fromLeft ? x : plane.width - 1 - x) / (plane.width - 1);
          out[y * plane.width + x] = image[y * plane.width + x] * (1 - depth * t);
        }
      }
      return out;
    },
  },
  {
    name: "shadow",
    family: "lighting",
    description: "a shadow with a straight soft edge at a random angle near the centre, darkening by 30, 45, 60, 75, 90 %",
    apply: (image, plane, severity, rng) => {
      const depth = level([0.3, 0.45, 0.6, 0.75, 0.9], severity);
      const angle = rng.uniform(0, 2 * Math.PI);
      const offset = rng.uniform(-0.15, 0.15) * plane.width;
      const cy = (plane.height - 1) / 2, cx = (plane.width - 1) / 2;
      const out = new Float32Array(image.length);
      for (let y = 0; y < plane.height; y++) {
        for (let x = 0; x < plane.width; x++) {
          const distance = (x - cx) * Math.cos(angle) + (y - cy) * Math.sin(angle) - offset;
          const inShadow = 1 / (1 + Math.exp(-distance / 1.5));
          out[y * plane.width + x] = image[y * plane.width + x] * (1 - depth * inShadow);
        }
      }
      return out;
    },
  },
];
