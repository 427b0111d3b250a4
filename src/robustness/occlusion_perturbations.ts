/**
 * Occlusion perturbations: something in front of the face.
 *
 * Positions assume FER-style registration (faces centred and filling the
 * frame): eyes about 38 % and the mouth about 77 % down the image (measured
 * on the mean face of the shared dataset's 2,570 validation images: darkest
 * eye rows at 35-38 %, darkest mouth rows at 77-79 %).
 *
 * @module
 */
import { paintOver, spanCoverage } from "./_image_ops.ts";
import { level, type Perturbation } from "./perturbation.ts";

const EYE_ROW = 0.38;
const MOUTH_ROW = 0.77;
const BAND_HEIGHTS = [0.08, 0.12, 0.16, 0.2, 0.25] as const;

/**
 * An eye band (sunglasses, a censor bar), a mouth band (a mask), random
 * square patches (cutout) and a hand-like blob over the mouth.
 *
 * @example
 * ```ts
 * console.assert(OCCLUSION_PERTURBATIONS.map((p) => p.name).includes("eye_band"));
 * ```
 */
export const OCCLUSION_PERTURBATIONS: readonly Perturbation[] = [
  {
    name: "eye_band",
    family: "occlusion",
    description: "a black band over the eyes, 8, 12, 16, 20, 25 % of the image high (centre jittered per image)",
    apply: (image, plane, severity, rng) => {
      const centre = (EYE_ROW + rng.uniform(-0.03, 0.03)) * plane.height;
      const half = level(BAND_HEIGHTS, severity) * plane.height / 2;
      return paintOver(Float32Array.from(image), plane, (y) => spanCoverage(y, centre - half, centre + half), () => 0);
    },
  },
  {
    name: "mouth_band",
    family: "occlusion",
    description: "a black band over the mouth, 8, 12, 16, 20, 25 % of the image high (centre jittered per image)",
    apply: (image, plane, severity, rng) => {
      const centre = (MOUTH_ROW + rng.uniform(-0.03, 0.03)) * plane.height;
      const half = level(BAND_HEIGHTS, severity) * plane.height / 2;
      return paintOver(Float32Array.from(image), plane, (y) => spanCoverage(y, centre - half, centre + half), () => 0);
    },
  },
  {
    name: "cutout",
    family: "occlusion",
    description: "1, 2, 3, 4, 5 black squares a fifth of the image wide at random places",
    apply: (image, plane, severity, rng) => {
      const side = 0.2 * plane.width;
      // Five places are drawn at every severity, so severity s shows the first s of the same five.
      const corners = Array.from({ length: 5 }, () => [rng.uniform(0, plane.height - side), rng.uniform(0, plane.width - side)]);
      const out = Float32Array.from(image);
      for (const [top, left] of corners.slice(0, severity)) {
        paintOver(out, plane, (y, x) => spanCoverage(y, top, top + side) * spanCoverage(x, left, left + side), () => 0);
      }
      return out;
    },
  },
  {
    name: "hand_over_mouth",
    family: "occlusion",
    description: "a hand-like shaded blob with finger gaps over the mouth, 32, 44, 56, 68, 80 % of the image wide",
    apply: (image, plane, severity, rng) => {
      const rx = level([0.16, 0.22, 0.28, 0.34, 0.4], severity) * plane.width;
      const ry = 0.6 * rx;
      const cx = (0.5 + rng.uniform(-0.05, 0.05)) * plane.width, cy = MOUTH_ROW * plane.height + 0.2 * ry;
      const skin = rng.uniform(140, 200);
      const coverage = (y: number, x: number) => {
        const d = Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
        return (1 - d) * Math.min(rx, ry) + 0.5;
      };
      const shade = (y: number, x: number) => {
        const dy = (y + 0.5 - cy) / ry, dx = (x + 0.5 - cx) / rx;
        // Lit from above, with three darker finger gaps across the upper half.
        const gap = dy < 0.2 && Math.abs(Math.sin(dx * Math.PI * 2)) < 0.15 ? 0.8 : 1;
        return skin * (0.9 - 0.15 * dy) * gap;
      };
      return paintOver(Float32Array.from(image), plane, coverage, shade);
    },
  },
];
