/**
 * Applies explicit per-image augmentation parameters with tfjs ops on the active backend.
 *
 * Kernels used (all registered by the cpu, wasm and webgpu backends of tfjs
 * 4.22): Reverse, Select (+ BroadcastTo) for the flip; Transform for rotation,
 * shift and zoom; Mean, Max, Min, Sub, Mul, Add for brightness and contrast;
 * Mul, Add for erasing; Add for noise; Cast and Identity.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";

/** A rectangle to erase, in pixels. */
export interface ErasingRect {
  /** First row. */
  top: number;
  /** First column. */
  left: number;
  /** Rows covered. */
  height: number;
  /** Columns covered. */
  width: number;
  /** Fill with the image's mean value, or with zero. */
  fill: "mean" | "zero";
}

/**
 * What to do to one image. Every field is optional and defaults to the
 * identity. Order: flip, then one projective transform (rotation, zoom and
 * shift about the image centre), then contrast and brightness, then erasing,
 * then noise (over the erased patch too, as a sensor's noise would be).
 */
export interface TransformParams {
  /** Mirror left-right (reverse the width axis). @default false */
  flip?: boolean;
  /** Rotation in degrees, counter-clockwise as displayed (row 0 at the top). @default 0 */
  rotationDegrees?: number;
  /** Horizontal shift as a fraction of the width; positive moves the content right. @default 0 */
  shiftX?: number;
  /** Vertical shift as a fraction of the height; positive moves the content down. @default 0 */
  shiftY?: number;
  /** Scale factor about the centre; above 1 enlarges the content (zoom in). @default 1 */
  zoom?: number;
  /** Delta added to every value, as a fraction of the value range (see {@linkcode ApplyOptions.valueRange}). @default 0 */
  brightness?: number;
  /** Factor applied to each value's distance from the image mean; the mean is kept. @default 1 */
  contrast?: number;
  /** A rectangle to fill, or null for none. @default null */
  erase?: ErasingRect | null;
  /**
   * Additive Gaussian noise: standard deviation as a fraction of the value
   * range, and the seed of its per-pixel draws (drawn in JavaScript, so every
   * backend adds the same noise). Null for none. @default null
   */
  noise?: { std: number; seed: number } | null;
}

/** Options of {@linkcode applyTransformParams}. */
export interface ApplyOptions {
  /** Sampling for the projective transform. Pixels outside the image repeat the nearest edge. @default "bilinear" */
  interpolation?: "nearest" | "bilinear";
  /**
   * Span of the input's values, the unit of `brightness`: 1 for `scale_0_1`
   * inputs, 255 for `none`. Null measures it from the batch (max minus min).
   * @default null
   */
  valueRange?: number | null;
}

/**
 * Applies one set of {@linkcode TransformParams} per image of `x`. Values are
 * not clipped after brightness, contrast or noise.
 *
 * @param x Images `[n, height, width, channels]`; not disposed.
 * @param params One entry per image.
 * @param options See {@linkcode ApplyOptions}.
 * @returns A new float32 tensor of the same shape (the caller disposes it).
 * @throws {ConfigError} When `params` does not have one entry per image.
 * @example
 * ```ts
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const y = applyTransformParams(x, [{ flip: true }]);
 * console.assert(y.dataSync().join() === "2,1,4,3");
 * ```
 */
export function applyTransformParams(
  x: tf.Tensor4D,
  params: readonly TransformParams[],
  options: ApplyOptions = {},
): tf.Tensor4D {
  const [n, height, width] = x.shape;
  if (params.length !== n) {
    throw new ConfigError(`Got ${params.length} transform parameter sets for a batch of ${n} images; pass one per image`);
  }
  const interpolation = options.interpolation ?? "bilinear";
  return tf.tidy(() => {
    let y: tf.Tensor4D = x.dtype === "float32" ? tf.clone(x) : tf.cast(x, "float32");
    const perImage = (values: number[]) => tf.tensor4d(values, [n, 1, 1, 1]);

    if (params.some((p) => p.flip)) {
      const flip = tf.tensor4d(params.map((p) => (p.flip ? 1 : 0)), [n, 1, 1, 1], "bool");
      y = tf.where(flip, tf.reverse(y, 2), y);
    }
    const matrices = params.map((p) => projectiveMatrix(p, height, width));
    if (matrices.some((m) => !isIdentity(m))) y = transformImages(y, matrices, interpolation);

    if (params.some((p) => (p.brightness ?? 0) !== 0 || (p.contrast ?? 1) !== 1)) {
      const range = options.valueRange == null ? tf.sub(tf.max(x), tf.min(x)) : tf.scalar(options.valueRange);
      const mean = tf.mean(y, [1, 2, 3], true);
      const delta = tf.mul(perImage(params.map((p) => p.brightness ?? 0)), range);
      y = tf.add(tf.add(tf.mul(tf.sub(y, mean), perImage(params.map((p) => p.contrast ?? 1))), mean), delta);
    }

    if (params.some((p) => p.erase)) {
      const keep = new Float32Array(n * height * width).fill(1);
      params.forEach((p, i) => {
        if (!p.erase) return;
        const top = Math.max(0, p.erase.top);
        const left = Math.max(0, p.erase.left);
        const right = Math.min(width, p.erase.left + p.erase.width);
        for (let row = top; row < Math.min(height, p.erase.top + p.erase.height); row++) {
          if (right > left) keep.fill(0, (i * height + row) * width + left, (i * height + row) * width + right);
        }
      });
      const keepMask = tf.tensor4d(keep, [n, height, width, 1]);
      const eraseMask = tf.sub(1, keepMask);
      const fill = tf.mul(tf.mean(y, [1, 2, 3], true), perImage(params.map((p) => (p.erase?.fill === "mean" ? 1 : 0))));
      // y * keep + fill * (1 - keep): exact for both 0 and 1 masks.
      y = tf.add(tf.mul(y, keepMask), tf.mul(fill, eraseMask));
    }

    if (params.some((p) => p.noise && p.noise.std > 0)) {
      const range = options.valueRange == null ? tf.sub(tf.max(x), tf.min(x)) : tf.scalar(options.valueRange);
      const length = height * width * x.shape[3];
      // In units of the value range: the range may be measured on the backend, so it multiplies there.
      const noise = new Float32Array(n * length);
      params.forEach((p, i) => {
        if (!p.noise || p.noise.std === 0) return;
        const rng = makeRng(p.noise.seed);
        for (let k = i * length; k < (i + 1) * length; k++) noise[k] = p.noise.std * rng.normal();
      });
      y = tf.add(y, tf.mul(tf.tensor4d(noise, y.shape), range));
    }
    return y;
  });
}

/**
 * The row `[a0, a1, a2, b0, b1, b2, 0, 0]` that tf.image.transform reads as:
 * output pixel (x, y) samples input (a0 x + a1 y + a2, b0 x + b1 y + b2).
 * With centre c, rotation R(theta), zoom s and shift t (pixels), the output
 * is c + s R(theta) (p - c) + t, so the input is c + R(theta) (q - c - t) / s.
 */
function projectiveMatrix(p: TransformParams, height: number, width: number): number[] {
  const theta = ((p.rotationDegrees ?? 0) * Math.PI) / 180;
  const scale = p.zoom ?? 1;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const ox = cx + (p.shiftX ?? 0) * width;
  const oy = cy + (p.shiftY ?? 0) * height;
  const a0 = Math.cos(theta) / scale;
  const a1 = -Math.sin(theta) / scale;
  const b0 = Math.sin(theta) / scale;
  const b1 = Math.cos(theta) / scale;
  return [a0, a1, cx - a0 * ox - a1 * oy, b0, b1, cy - b0 * ox - b1 * oy, 0, 0].map(snap);
}

/** Rounds values within 1e-9 of an integer, so quarter turns sample exact pixels. */
function snap(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value - rounded) < 1e-9 ? rounded : value;
}

function isIdentity(m: number[]): boolean {
  return m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 0 && m[4] === 1 && m[5] === 0;
}

function transformImages(y: tf.Tensor4D, matrices: number[][], interpolation: "nearest" | "bilinear"): tf.Tensor4D {
  const transforms = tf.tensor2d(matrices.flat(), [matrices.length, 8]);
  if (tf.getBackend() !== "cpu") return tf.image.transform(y, transforms, interpolation, "nearest");
  // tfjs-backend-cpu 4.22's Transform kernel returns from inside its batch
  // loop, so only the first image of a batch is transformed (the rest come
  // back as the fill value). On cpu each image goes through on its own.
  const images = tf.split(y, matrices.length, 0) as tf.Tensor4D[];
  const rows = tf.split(transforms, matrices.length, 0) as tf.Tensor2D[];
  return tf.concat(images.map((image, i) => tf.image.transform(image, rows[i], interpolation, "nearest")), 0);
}
