/**
 * Image-quality perturbations: sensor noise, blur, compression and low resolution.
 *
 * @module
 */
import type { Rng } from "../core/seed.ts";
import { gaussianKernel } from "../data/gaussian_blur.ts";
import { convolveImage, convolveSeparable, type Plane, resizeArea, sampleBilinear } from "./_image_ops.ts";
import { level, type Perturbation } from "./perturbation.ts";

/**
 * Gaussian, shot and impulse noise; defocus, motion and Gaussian blur; JPEG
 * compression; pixelation down to 12x12 and back. Parameters follow ImageNet-C
 * where its values make sense for 48-pixel faces; blur radii are scaled down
 * from its 224-pixel images.
 *
 * @example
 * ```ts
 * console.assert(QUALITY_PERTURBATIONS.some((p) => p.name === "jpeg"));
 * ```
 */
export const QUALITY_PERTURBATIONS: readonly Perturbation[] = [
  {
    name: "gaussian_noise",
    family: "quality",
    description: "additive Gaussian noise, sigma 8, 12, 18, 26, 38 % of white",
    apply: (image, _plane, severity, rng) => {
      const sigma = 255 * level([0.08, 0.12, 0.18, 0.26, 0.38], severity);
      return image.map((v) => v + sigma * rng.normal());
    },
  },
  {
    name: "shot_noise",
    family: "quality",
    description: "Poisson (photon) noise with 60, 25, 12, 5, 3 photons at white",
    apply: (image, _plane, severity, rng) => {
      const photons = level([60, 25, 12, 5, 3], severity);
      return image.map((v) => (poisson(Math.max(v, 0) / 255 * photons, rng) / photons) * 255);
    },
  },
  {
    name: "impulse_noise",
    family: "quality",
    description: "salt-and-pepper noise on 3, 6, 9, 17, 27 % of pixels",
    apply: (image, _plane, severity, rng) => {
      const amount = level([0.03, 0.06, 0.09, 0.17, 0.27], severity);
      return image.map((v) => {
        const hit = rng.next(), salt = rng.next();
        return hit < amount ? (salt < 0.5 ? 0 : 255) : v;
      });
    },
  },
  {
    name: "defocus_blur",
    family: "quality",
    description: "out of focus: a disk kernel of radius 1, 1.5, 2, 2.5, 3 pixels",
    apply: (image, plane, severity) => {
      const { kernel, size } = diskKernel(level([1, 1.5, 2, 2.5, 3], severity));
      return convolveImage(image, plane, kernel, size);
    },
  },
  {
    name: "motion_blur",
    family: "quality",
    description: "camera or head motion: a line kernel of 3, 5, 7, 9, 11 pixels at a random angle within 45 degrees of horizontal",
    apply: (image, plane, severity, rng) => {
      const length = level([3, 5, 7, 9, 11], severity);
      const angle = rng.uniform(-Math.PI / 4, Math.PI / 4);
      const dy = Math.sin(angle), dx = Math.cos(angle);
      const out = new Float32Array(image.length);
      for (let y = 0; y < plane.height; y++) {
        for (let x = 0; x < plane.width; x++) {
          let sum = 0;
          for (let i = 0; i < length; i++) {
            const t = i - (length - 1) / 2;
            sum += sampleBilinear(image, plane, y + t * dy, x + t * dx);
          }
          out[y * plane.width + x] = sum / length;
        }
      }
      return out;
    },
  },
  {
    name: "gaussian_blur",
    family: "quality",
    description: "Gaussian blur, sigma 0.6, 0.9, 1.2, 1.6, 2 pixels",
    apply: (image, plane, severity) => convolveSeparable(image, plane, gaussianKernel(level([0.6, 0.9, 1.2, 1.6, 2], severity))),
  },
  {
    name: "jpeg",
    family: "quality",
    description: "JPEG compression (8x8 DCT, IJG luminance table) at quality 30, 20, 15, 10, 5",
    apply: (image, plane, severity) => jpegRoundTrip(image, plane, level([30, 20, 15, 10, 5], severity)),
  },
  {
    name: "pixelate",
    family: "quality",
    description: "low resolution: averaged down to 32, 24, 18, 15, 12 pixels wide and enlarged back as blocks",
    apply: (image, plane, severity) => {
      const side = level([32, 24, 18, 15, 12], severity);
      const small = { height: Math.max(1, Math.round(side * plane.height / plane.width)), width: side };
      const reduced = resizeArea(image, plane, small);
      const out = new Float32Array(image.length);
      for (let y = 0; y < plane.height; y++) {
        const sy = Math.floor(y * small.height / plane.height);
        for (let x = 0; x < plane.width; x++) out[y * plane.width + x] = reduced[sy * small.width + Math.floor(x * small.width / plane.width)];
      }
      return out;
    },
  },
];

/** A Poisson sample: Knuth's product method for small means, a rounded normal above 30. */
function poisson(mean: number, rng: Rng): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0, product = rng.next();
  while (product > limit) {
    k++;
    product *= rng.next();
  }
  return k;
}

/** A normalised disk kernel; edge pixels weighted by the share of them inside (4x4 supersampling). */
function diskKernel(radius: number): { kernel: Float32Array; size: number } {
  const reach = Math.ceil(radius);
  const size = 2 * reach + 1;
  const kernel = new Float32Array(size * size);
  let total = 0;
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const py = y - 0.5 + (sy + 0.5) / 4, px = x - 0.5 + (sx + 0.5) / 4;
          if (py * py + px * px <= radius * radius) inside++;
        }
      }
      kernel[(y + reach) * size + x + reach] = inside / 16;
      total += inside / 16;
    }
  }
  return { kernel: kernel.map((w) => w / total), size };
}

const LUMINANCE_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Baseline JPEG's lossy steps (level shift, 8x8 DCT, quantisation, inverse): the entropy coding it skips is lossless. */
function jpegRoundTrip(image: Float32Array, plane: Plane, quality: number): Float32Array {
  const scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
  const table = LUMINANCE_TABLE.map((t) => Math.min(255, Math.max(1, Math.floor((t * scale + 50) / 100))));
  const cos = Array.from({ length: 64 }, (_, i) => Math.cos(((2 * (i >> 3) + 1) * (i & 7) * Math.PI) / 16));
  const alpha = Array.from({ length: 8 }, (_, u) => (u === 0 ? Math.SQRT1_2 : 1));
  const out = new Float32Array(image.length);
  const block = new Float64Array(64), half = new Float64Array(64), coefficients = new Float64Array(64);
  for (let by = 0; by < plane.height; by += 8) {
    for (let bx = 0; bx < plane.width; bx += 8) {
      for (let i = 0; i < 64; i++) {
        const y = Math.min(by + (i >> 3), plane.height - 1), x = Math.min(bx + (i & 7), plane.width - 1);
        block[i] = Math.min(255, Math.max(0, Math.round(image[y * plane.width + x]))) - 128;
      }
      // Separable 2-D DCT: along rows (x -> u), then along columns (y -> v).
      for (let y = 0; y < 8; y++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let x = 0; x < 8; x++) sum += block[y * 8 + x] * cos[x * 8 + u];
          half[y * 8 + u] = sum;
        }
      }
      for (let v = 0; v < 8; v++) {
        for (let u = 0; u < 8; u++) {
          let sum = 0;
          for (let y = 0; y < 8; y++) sum += half[y * 8 + u] * cos[y * 8 + v];
          const q = table[v * 8 + u];
          coefficients[v * 8 + u] = Math.round((0.25 * alpha[u] * alpha[v] * sum) / q) * q * alpha[u] * alpha[v];
        }
      }
      for (let v = 0; v < 8; v++) {
        for (let x = 0; x < 8; x++) {
          let sum = 0;
          for (let u = 0; u < 8; u++) sum += coefficients[v * 8 + u] * cos[x * 8 + u];
          half[v * 8 + x] = sum;
        }
      }
      for (let y = 0; y < 8 && by + y < plane.height; y++) {
        for (let x = 0; x < 8 && bx + x < plane.width; x++) {
          let sum = 0;
          for (let v = 0; v < 8; v++) sum += half[v * 8 + x] * cos[y * 8 + v];
          out[(by + y) * plane.width + bx + x] = 0.25 * sum + 128;
        }
      }
    }
  }
  return out;
}
