/**
 * A 64-bit perceptual hash (DCT pHash) of a grayscale image, and the Hamming
 * distance between two such hashes.
 *
 * @module
 */
import { DatasetError } from "../core/errors.ts";

/** A 64-bit hash as two unsigned 32-bit words: bits 63..32 and 31..0. */
export interface PerceptualHash {
  /** Bits 63..32: the first 32 DCT coefficients in row-major order, first at bit 63. */
  high: number;
  /** Bits 31..0: the last 32 coefficients. */
  low: number;
}

/** Options for {@linkcode perceptualHash}. */
export interface PerceptualHashOptions {
  /** Image width in pixels. @default the square root of the pixel count */
  width?: number;
}

const SAMPLE = 32;
const KEEP = 8;

/**
 * Computes the DCT perceptual hash of a grayscale image, as in the common
 * `pHash`/`imagehash.phash` recipe: area-resample to 32x32, take the 2-D
 * DCT-II, keep the 8x8 lowest frequencies (DC included) and set a bit for
 * each coefficient above their median. Small changes of brightness, contrast,
 * crop or noise flip few bits; different images differ in about half of them.
 *
 * @param gray Gray pixels, row-major, one byte each.
 * @param options See {@linkcode PerceptualHashOptions}.
 * @returns The hash.
 * @throws {DatasetError} When the pixel count is not a multiple of the width.
 * @example
 * ```ts
 * // A flat image has energy only in the DC coefficient: one bit, bit 63.
 * const hash = perceptualHash(new Uint8Array(48 * 48).fill(90));
 * console.assert(hash.high === 0x80000000 && hash.low === 0);
 * ```
 */
export function perceptualHash(gray: Uint8Array, options: PerceptualHashOptions = {}): PerceptualHash {
  const width = options.width ?? Math.round(Math.sqrt(gray.length));
  const height = gray.length / width;
  if (!Number.isInteger(height) || width < 1 || height < 1) {
    throw new DatasetError(`Image of ${gray.length} pixels is not a whole number of rows of width ${width}; pass the image's width`);
  }
  const small = resampleArea(gray, width, height);
  const coefficients = lowFrequencyDct(small);
  const median = medianOf(coefficients);
  let high = 0;
  let low = 0;
  for (let i = 0; i < 32; i++) if (coefficients[i] > median) high |= 1 << (31 - i);
  for (let i = 0; i < 32; i++) if (coefficients[32 + i] > median) low |= 1 << (31 - i);
  return { high: high >>> 0, low: low >>> 0 };
}

/**
 * Number of differing bits between two 64-bit hashes (popcount of the XOR).
 *
 * @param a First hash.
 * @param b Second hash.
 * @returns An integer in [0, 64].
 * @example
 * ```ts
 * console.assert(hammingDistance({ high: 0b1011, low: 0 }, { high: 0, low: 1 }) === 4);
 * ```
 */
export function hammingDistance(a: PerceptualHash, b: PerceptualHash): number {
  return popcount32(a.high ^ b.high) + popcount32(a.low ^ b.low);
}

/**
 * Counts the set bits of a 32-bit integer with the SWAR bit trick (no loop,
 * no table), which keeps an all-pairs search over thousands of hashes fast.
 *
 * @param value Any number; its low 32 bits are counted.
 * @returns An integer in [0, 32].
 * @example
 * ```ts
 * console.assert(popcount32(0xffffffff) === 32);
 * ```
 */
export function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * Writes a hash as 16 lower-case hex digits, for reports and JSON.
 *
 * @param hash The hash.
 * @returns Bits 63..0 in hex, zero-padded.
 * @example
 * ```ts
 * console.assert(hashToHex({ high: 0x80000000, low: 0xab }) === "80000000000000ab");
 * ```
 */
export function hashToHex(hash: PerceptualHash): string {
  return hash.high.toString(16).padStart(8, "0") + hash.low.toString(16).padStart(8, "0");
}

/** Area (box) resampling to 32x32: each output pixel is the mean of the input area it covers. */
function resampleArea(gray: Uint8Array, width: number, height: number): Float64Array {
  const wx = areaSpans(width);
  const wy = areaSpans(height);
  const rows = new Float64Array(height * SAMPLE);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < SAMPLE; ox++) {
      const { first, weights } = wx[ox];
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * gray[y * width + first + k];
      rows[y * SAMPLE + ox] = sum;
    }
  }
  const out = new Float64Array(SAMPLE * SAMPLE);
  for (let oy = 0; oy < SAMPLE; oy++) {
    const { first, weights } = wy[oy];
    for (let ox = 0; ox < SAMPLE; ox++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += weights[k] * rows[(first + k) * SAMPLE + ox];
      out[oy * SAMPLE + ox] = sum;
    }
  }
  return out;
}

/**
 * Per output pixel, the input pixels it overlaps (from `first` on) and their
 * weights: the overlap of their intervals, normalised to sum 1. Only
 * overlapping pixels are listed (2-3 for 48 -> 32), which keeps hashing a
 * whole dataset fast.
 */
function areaSpans(inputSize: number): { first: number; weights: Float64Array }[] {
  const scale = inputSize / SAMPLE;
  return Array.from({ length: SAMPLE }, (_, o) => {
    const start = o * scale;
    const end = start + scale;
    const first = Math.floor(start);
    const last = Math.min(inputSize, Math.ceil(end));
    const weights = new Float64Array(last - first);
    for (let i = first; i < last; i++) weights[i - first] = (Math.min(end, i + 1) - Math.max(start, i)) / scale;
    return { first, weights };
  });
}

/** cos(pi k (2n + 1) / 2N) for the kept frequencies k and the sample positions n. */
const DCT_BASIS: Float64Array = (() => {
  const basis = new Float64Array(KEEP * SAMPLE);
  for (let k = 0; k < KEEP; k++) {
    for (let n = 0; n < SAMPLE; n++) basis[k * SAMPLE + n] = Math.cos((Math.PI * k * (2 * n + 1)) / (2 * SAMPLE));
  }
  return basis;
})();

/** The 8x8 lowest-frequency DCT-II coefficients (unnormalised, like scipy's default), row-major. */
function lowFrequencyDct(pixels: Float64Array): Float64Array {
  const basis = DCT_BASIS;
  // Rows first (32 rows -> 8 frequencies each), then columns.
  const partial = new Float64Array(SAMPLE * KEEP);
  for (let y = 0; y < SAMPLE; y++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let x = 0; x < SAMPLE; x++) sum += basis[u * SAMPLE + x] * pixels[y * SAMPLE + x];
      partial[y * KEEP + u] = sum;
    }
  }
  const out = new Float64Array(KEEP * KEEP);
  for (let v = 0; v < KEEP; v++) {
    for (let u = 0; u < KEEP; u++) {
      let sum = 0;
      for (let y = 0; y < SAMPLE; y++) sum += basis[v * SAMPLE + y] * partial[y * KEEP + u];
      // Rounding noise around zero would otherwise decide bits of flat images.
      out[v * KEEP + u] = Math.abs(sum) < 1e-7 ? 0 : 4 * sum;
    }
  }
  return out;
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length / 2;
  return (sorted[middle - 1] + sorted[middle]) / 2;
}
