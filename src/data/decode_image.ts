/**
 * Decodes one image file to raw uint8 pixels of a fixed size and channel count.
 *
 * @module
 */
import sharp from "sharp";

/** How every image of a dataset is decoded. Part of the dataset fingerprint. */
export interface DecodeOptions {
  /** Output height and width in pixels. @default 48 */
  size?: number;
  /** 1 for grayscale, 3 for RGB (grayscale replicated). @default 1 */
  channels?: 1 | 3;
  /** Histogram-equalise the grayscale image (before channel replication). @default false */
  equalize?: boolean;
}

/** {@linkcode DecodeOptions} with every default filled in. */
export type ResolvedDecodeOptions = Required<DecodeOptions>;

/**
 * Fills in the defaults of {@linkcode DecodeOptions}.
 *
 * @param options Partial options.
 * @returns Options with size 48, channels 1, equalize false where unset.
 * @example
 * ```ts
 * console.assert(resolveDecodeOptions({}).size === 48);
 * ```
 */
export function resolveDecodeOptions(options: DecodeOptions = {}): ResolvedDecodeOptions {
  return { size: options.size ?? 48, channels: options.channels ?? 1, equalize: options.equalize ?? false };
}

/**
 * Decodes image bytes (any format sharp reads) to `size x size x channels`
 * uint8 pixels, row-major, channels last.
 *
 * Colour images are converted to grayscale first (the datasets are grayscale;
 * 3-channel output replicates the gray value, which is what backbones expect
 * from a grayscale face). Other sizes are resized with bilinear filtering to
 * fill the square (no crop: faces are already registered).
 *
 * @param bytes The file's bytes.
 * @param options See {@linkcode DecodeOptions}.
 * @returns `size * size * channels` pixels.
 * @throws Error from sharp when the bytes are not a readable image.
 * @example
 * ```ts
 * const pixels = await decodeImage(await Deno.readFile("face.jpg"), { size: 48 });
 * console.assert(pixels.length === 48 * 48);
 * ```
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<Uint8Array> {
  const { size, channels, equalize } = resolveDecodeOptions(options);
  const gray = await sharp(bytes, { failOn: "error" })
    .grayscale()
    .resize(size, size, { fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
  const pixels = new Uint8Array(gray.buffer, gray.byteOffset, gray.byteLength);
  let single = pixels.length === size * size ? pixels : firstChannel(pixels, size * size);
  if (equalize) single = equalizeHistogram(single);
  return channels === 1 ? single : replicate(single, channels);
}

/**
 * Classic global histogram equalisation of 8-bit gray pixels: each value maps
 * through the normalised cumulative histogram, so the output's histogram is
 * as flat as the input allows. A constant image is returned unchanged.
 *
 * @param gray Gray pixels.
 * @returns New equalised pixels.
 * @example
 * ```ts
 * const out = equalizeHistogram(new Uint8Array([10, 10, 20, 30]));
 * console.assert(out[3] === 255 && out[0] === 0);
 * ```
 */
export function equalizeHistogram(gray: Uint8Array): Uint8Array {
  const histogram = new Uint32Array(256);
  for (const value of gray) histogram[value]++;
  const cumulative = new Uint32Array(256);
  let running = 0;
  for (let v = 0; v < 256; v++) cumulative[v] = running += histogram[v];
  const firstNonZero = cumulative.find((c) => c > 0) ?? 0;
  const range = gray.length - firstNonZero;
  if (range === 0) return gray.slice();
  const out = new Uint8Array(gray.length);
  for (let i = 0; i < gray.length; i++) {
    out[i] = Math.round(((cumulative[gray[i]] - firstNonZero) / range) * 255);
  }
  return out;
}

/**
 * {@linkcode equalizeHistogram} applied to each image of a packed batch, each
 * channel plane on its own (a gray face replicated to three channels gets the
 * same result in each, as {@linkcode decodeImage} gives it).
 *
 * @param pixels `count * height * width * channels` pixels, image after image, channels last.
 * @param shape Height, width and channels of every image.
 * @returns New equalised pixels of the same layout.
 * @example
 * ```ts
 * const out = equalizeImages(new Uint8Array([10, 20, 5, 5]), { height: 1, width: 2, channels: 1 });
 * console.assert(out.join() === "0,255,5,5");
 * ```
 */
export function equalizeImages(pixels: Uint8Array, shape: { height: number; width: number; channels: number }): Uint8Array {
  const { height, width, channels } = shape;
  const area = height * width;
  const out = new Uint8Array(pixels.length);
  const plane = new Uint8Array(area);
  for (let offset = 0; offset < pixels.length; offset += area * channels) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < area; p++) plane[p] = pixels[offset + p * channels + c];
      const equalized = equalizeHistogram(plane);
      for (let p = 0; p < area; p++) out[offset + p * channels + c] = equalized[p];
    }
  }
  return out;
}

function firstChannel(pixels: Uint8Array, count: number): Uint8Array {
  const stride = pixels.length / count;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = pixels[i * stride];
  return out;
}

function replicate(gray: Uint8Array, channels: number): Uint8Array {
  const out = new Uint8Array(gray.length * channels);
  for (let i = 0; i < gray.length; i++) out.fill(gray[i], i * channels, (i + 1) * channels);
  return out;
}
