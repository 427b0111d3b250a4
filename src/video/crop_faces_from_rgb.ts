/**
 * {@linkcode cropFaces} on a frame's RGB bytes instead of a tensor, for the
 * video pipeline: most frames are not run through the detector, so they need
 * no tensor at all, and a crop touches only `(size * factor)^2` pixels of the
 * frame (at most 192x192 for a 48-pixel model), which plain JavaScript does in
 * well under a millisecond, while building a frame tensor and cutting it with
 * tfjs costs about 14 ms per 640x360 frame on the tensorflow backend
 * (bench/video_pipeline.ts).
 *
 * The arithmetic is tfjs's `cropAndResize` (bilinear, extrapolation value
 * 128), `avgPool` and luma followed by round-half-to-even, as `cropFaces`
 * does, so the two agree to within one gray level (float32 against float64
 * rounding; tests/video/face_crop.test.ts).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { type CropOptions, faceCropRegion } from "./face_crop.ts";
import type { FaceBox } from "./tiny_face_detector.ts";

/**
 * Registered gray face crops cut from raw RGB bytes (see {@linkcode cropFaces}).
 *
 * @param rgb `height * width * 3` RGB bytes, row-major (a decoded video frame).
 * @param width Frame width in pixels.
 * @param height Frame height in pixels.
 * @param boxes Detected faces.
 * @param options See {@linkcode CropOptions}.
 * @returns One `size * size` Uint8Array per box, in box order.
 * @throws {ConfigError} When the byte count is not `width * height * 3` or the size is below 8.
 * @example
 * ```ts
 * const rgb = new Uint8Array(100 * 100 * 3).fill(200);
 * const [face] = cropFacesFromRgb(rgb, 100, 100, [{ x: 20, y: 20, width: 60, height: 60, score: 1 }], { size: 48 });
 * console.assert(face[48 * 24 + 24] === 200);
 * ```
 */
export function cropFacesFromRgb(
  rgb: Uint8Array,
  width: number,
  height: number,
  boxes: readonly FaceBox[],
  options: CropOptions = {},
): Uint8Array[] {
  const size = options.size ?? 48;
  if (!Number.isInteger(size) || size < 8) throw new ConfigError(`Crop size is ${size}; use the model's input size, an integer of at least 8, e.g. 48`);
  if (rgb.length !== width * height * 3) {
    throw new ConfigError(`Frame has ${rgb.length} bytes; an RGB frame of ${width}x${height} has ${width * height * 3}: pass the decoder's rgb with its width and height`);
  }
  if (boxes.length === 0) return [];
  const regions = boxes.map(faceCropRegion);
  // One factor for all boxes, as cropFaces batches them through one cropAndResize.
  const largest = Math.max(...regions.map((region) => region.side));
  const factor = Math.max(1, Math.min(4, Math.floor(largest / size)));
  const span = size * factor;
  const sums = new Float64Array(size * size * 3);
  const rowX = new Float64Array(span);
  return regions.map((region) => {
    sums.fill(0);
    const step = span > 1 ? region.side / (span - 1) : 0;
    for (let x = 0; x < span; x++) rowX[x] = region.x + x * step;
    for (let y = 0; y < span; y++) {
      const inY = region.y + y * step;
      const outRow = Math.floor(y / factor) * size;
      if (inY < 0 || inY > height - 1) {
        for (let x = 0; x < span; x++) addGray(sums, (outRow + Math.floor(x / factor)) * 3);
        continue;
      }
      const top = Math.floor(inY);
      const bottom = Math.ceil(inY);
      const lerpY = inY - top;
      for (let x = 0; x < span; x++) {
        const at = (outRow + Math.floor(x / factor)) * 3;
        const inX = rowX[x];
        if (inX < 0 || inX > width - 1) {
          addGray(sums, at);
          continue;
        }
        const left = Math.floor(inX);
        const right = Math.ceil(inX);
        const lerpX = inX - left;
        const tl = (top * width + left) * 3;
        const tr = (top * width + right) * 3;
        const bl = (bottom * width + left) * 3;
        const br = (bottom * width + right) * 3;
        for (let c = 0; c < 3; c++) {
          const upper = rgb[tl + c] + (rgb[tr + c] - rgb[tl + c]) * lerpX;
          const lower = rgb[bl + c] + (rgb[br + c] - rgb[bl + c]) * lerpX;
          sums[at + c] += upper + (lower - upper) * lerpY;
        }
      }
    }
    const pool = factor * factor;
    const face = new Uint8Array(size * size);
    for (let p = 0; p < size * size; p++) {
      const gray = (0.299 * sums[p * 3] + 0.587 * sums[p * 3 + 1] + 0.114 * sums[p * 3 + 2]) / pool;
      face[p] = Math.min(255, Math.max(0, roundHalfEven(gray)));
    }
    return face;
  });
}

/** Adds the extrapolation value (gray 128 in every channel) to a pooled pixel. */
function addGray(sums: Float64Array, at: number): void {
  sums[at] += 128;
  sums[at + 1] += 128;
  sums[at + 2] += 128;
}

/** tf.round's rounding: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
