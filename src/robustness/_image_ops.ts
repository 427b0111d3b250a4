/**
 * Pixel helpers the perturbations share: one-channel float images
 * (`height * width` values, row-major, gray levels 0-255 before clamping),
 * sampled with the border clamped so a warp never brings in black corners.
 *
 * @module
 */

/** Size of a one-channel image. */
export interface Plane {
  height: number;
  width: number;
}

/**
 * The value at a fractional position, bilinear, with coordinates clamped to the image.
 *
 * @param image One-channel image.
 * @param plane Its size.
 * @param y Row (fractional).
 * @param x Column (fractional).
 * @returns The interpolated value.
 * @example
 * ```ts
 * console.assert(sampleBilinear(Float32Array.of(0, 10), { height: 1, width: 2 }, 0, 0.5) === 5);
 * ```
 */
export function sampleBilinear(image: Float32Array, plane: Plane, y: number, x: number): number {
  const { height, width } = plane;
  const cy = Math.min(Math.max(y, 0), height - 1), cx = Math.min(Math.max(x, 0), width - 1);
  const y0 = Math.floor(cy), x0 = Math.floor(cx);
  const y1 = Math.min(y0 + 1, height - 1), x1 = Math.min(x0 + 1, width - 1);
  const fy = cy - y0, fx = cx - x0;
  const top = image[y0 * width + x0] * (1 - fx) + image[y0 * width + x1] * fx;
  const bottom = image[y1 * width + x0] * (1 - fx) + image[y1 * width + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Resamples an image through an inverse map: each output pixel reads the source at `source(y, x)`.
 *
 * @param image One-channel image.
 * @param plane Its size.
 * @param source Maps an output pixel to the source position it shows, as `[y, x]`.
 * @returns The warped image.
 * @example
 * ```ts
 * const same = warpImage(Float32Array.of(1, 2), { height: 1, width: 2 }, (y, x) => [y, x]);
 * console.assert(same[1] === 2);
 * ```
 */
export function warpImage(
  image: Float32Array,
  plane: Plane,
  source: (y: number, x: number) => [number, number],
): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      const [sy, sx] = source(y, x);
      out[y * plane.width + x] = sampleBilinear(image, plane, sy, sx);
    }
  }
  return out;
}

/**
 * 2-D convolution (correlation) with a centred odd-sized kernel, borders clamped.
 *
 * @param image One-channel image.
 * @param plane Its size.
 * @param kernel `size * size` weights, row-major (normalise them for a blur).
 * @param size Kernel side, odd.
 * @returns The filtered image.
 * @example
 * ```ts
 * const out = convolveImage(Float32Array.of(4, 4, 4, 4), { height: 2, width: 2 }, Float32Array.of(0, 0, 0, 0, 1, 0, 0, 0, 0), 3);
 * console.assert(out[3] === 4);
 * ```
 */
export function convolveImage(image: Float32Array, plane: Plane, kernel: Float32Array, size: number): Float32Array {
  const { height, width } = plane;
  const radius = (size - 1) / 2;
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let ky = 0; ky < size; ky++) {
        const sy = Math.min(Math.max(y + ky - radius, 0), height - 1);
        for (let kx = 0; kx < size; kx++) {
          const weight = kernel[ky * size + kx];
          if (weight === 0) continue;
          const sx = Math.min(Math.max(x + kx - radius, 0), width - 1);
          sum += weight * image[sy * width + sx];
        }
      }
      out[y * width + x] = sum;
    }
  }
  return out;
}

/**
 * Area-average resize (each output pixel is the mean of the source area it covers).
 *
 * @param image One-channel image.
 * @param from Its size.
 * @param to The new size.
 * @returns The resized image.
 * @example
 * ```ts
 * const small = resizeArea(Float32Array.of(0, 2, 4, 6), { height: 2, width: 2 }, { height: 1, width: 1 });
 * console.assert(small[0] === 3);
 * ```
 */
export function resizeArea(image: Float32Array, from: Plane, to: Plane): Float32Array {
  const rows = areaWeights(from.height, to.height);
  const cols = areaWeights(from.width, to.width);
  const out = new Float32Array(to.height * to.width);
  for (let y = 0; y < to.height; y++) {
    for (let x = 0; x < to.width; x++) {
      let sum = 0;
      for (const [sy, wy] of rows[y]) {
        for (const [sx, wx] of cols[x]) sum += wy * wx * image[sy * from.width + sx];
      }
      out[y * to.width + x] = sum;
    }
  }
  return out;
}

/** For each output index, the source indices it covers and their weights (summing to 1). */
function areaWeights(source: number, target: number): [number, number][][] {
  const scale = source / target;
  return Array.from({ length: target }, (_, i) => {
    const start = i * scale, end = (i + 1) * scale;
    const parts: [number, number][] = [];
    for (let s = Math.floor(start); s < Math.ceil(end - 1e-9); s++) {
      const overlap = Math.min(end, s + 1) - Math.max(start, s);
      if (overlap > 0) parts.push([s, overlap / scale]);
    }
    return parts;
  });
}

/**
 * Mixes `fill` into the image with per-pixel coverage in [0, 1] (1 replaces the pixel).
 *
 * @param image One-channel image, changed in place.
 * @param plane Its size.
 * @param coverage Coverage of pixel (y, x).
 * @param fill Value painted over pixel (y, x).
 * @returns The same image.
 * @example
 * ```ts
 * const out = paintOver(Float32Array.of(10, 10), { height: 1, width: 2 }, (_, x) => x, () => 0);
 * console.assert(out[0] === 10 && out[1] === 0);
 * ```
 */
export function paintOver(
  image: Float32Array,
  plane: Plane,
  coverage: (y: number, x: number) => number,
  fill: (y: number, x: number) => number,
): Float32Array {
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      const c = Math.min(Math.max(coverage(y, x), 0), 1);
      if (c > 0) image[y * plane.width + x] = image[y * plane.width + x] * (1 - c) + fill(y, x) * c;
    }
  }
  return image;
}

/**
 * How much of the pixel row/column span [p, p + 1) lies inside [low, high): a soft band edge.
 *
 * @param p Pixel index.
 * @param low Band start (fractional pixels).
 * @param high Band end.
 * @returns Overlap in [0, 1].
 * @example
 * ```ts
 * console.assert(spanCoverage(3, 2.5, 3.5) === 0.5);
 * ```
 */
export function spanCoverage(p: number, low: number, high: number): number {
  return Math.max(0, Math.min(p + 1, high) - Math.max(p, low));
}

/**
 * Separable convolution with one centred odd-length kernel along rows, then columns, borders clamped.
 *
 * @param image One-channel image.
 * @param plane Its size.
 * @param weights The 1-D kernel (normalise it for a blur).
 * @returns The filtered image.
 * @example
 * ```ts
 * const out = convolveSeparable(Float32Array.of(2, 2, 2, 2), { height: 2, width: 2 }, [0.25, 0.5, 0.25]);
 * console.assert(out[0] === 2);
 * ```
 */
export function convolveSeparable(image: Float32Array, plane: Plane, weights: readonly number[]): Float32Array {
  const { height, width } = plane;
  const radius = (weights.length - 1) / 2;
  const rows = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * image[y * width + Math.min(Math.max(x + k - radius, 0), width - 1)];
      rows[y * width + x] = sum;
    }
  }
  const out = new Float32Array(image.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * rows[Math.min(Math.max(y + k - radius, 0), height - 1) * width + x];
      out[y * width + x] = sum;
    }
  }
  return out;
}
