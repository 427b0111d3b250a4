/**
 * face-api's TinyFaceDetector (a Tiny-YOLOv2 with depthwise-separable
 * convolutions, one class, five anchors), run with plain tfjs ops from its
 * weight map, so the same code runs in Deno and, bundled, in the live page.
 *
 * The forward pass, box decoding and non-maximum suppression follow face-api's
 * `TinyYolov2Base` (`runMobilenet`, `extractBoxes`) and `TinyFaceDetector`
 * (anchors, mean RGB, IoU threshold 0.4) exactly; tests compare against boxes
 * face-api itself produced. This file has no I/O: the weights come from
 * {@linkcode loadFaceDetector} (Deno) or `tf.io.loadWeights` (browser).
 *
 * Why this detector (bench/video_detectors.ts, the real clips and photos, one
 * run on the shared 2-core machine): TinyFaceDetector at 320, SSD MobileNet v1
 * (face-api) and BlazeFace (human-models) find the face on the same frames of
 * single_face.mp4 and face_noface.mov; SSD costs about 7 times as much per
 * frame and BlazeFace about 1.8 times, and BlazeFace fires on 18 of 32 frames
 * of the cartoon in no_face.mp4 where the others fire on none. The crop
 * registration (face_crop.ts) was measured on this detector's boxes, so
 * another detector would need its own; hence one detector, not a flag.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** A detected face in pixels of the image it was found in. */
export interface FaceBox {
  /** Left edge in pixels. */
  x: number;
  /** Top edge in pixels. */
  y: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** Detector confidence in (0, 1). */
  score: number;
}

/** Options of {@linkcode detectFaces}. */
export interface DetectOptions {
  /**
   * Side of the square the image is scaled into; a multiple of 32 from 64 to 608.
   * On the real clips 128 to 320 find the face equally often (bench/video_pipeline.ts),
   * but below 320 a face of a quarter of the frame's width covers under about 60
   * input pixels and its box grows loose (about 1.4 times as wide at 160 as at 320
   * or 416), while the crop registration was measured on faces of about 80 input
   * pixels: 320 keeps video crops registered; photos with small faces use 416.
   * @default 320
   */
  inputSize?: number;
  /** Minimum box confidence, in (0, 1). @default 0.5 */
  scoreThreshold?: number;
  /** Boxes overlapping a better one by more than this IoU are dropped. @default 0.4 */
  iouThreshold?: number;
}

/** The detector's weights by face-api's names (`conv0/filters`, ... `conv8/bias`). */
export type FaceDetectorWeights = tf.NamedTensorMap;

/** face-api's TinyFaceDetector anchors (width, height in output cells). */
const ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
const MEAN_RGB = [117.001, 114.697, 97.404];
/** The weights the forward pass reads. */
export const FACE_DETECTOR_WEIGHT_NAMES: readonly string[] = [
  "conv0/filters",
  "conv0/bias",
  ...[1, 2, 3, 4, 5].flatMap((i) => [`conv${i}/depthwise_filter`, `conv${i}/pointwise_filter`, `conv${i}/bias`]),
  "conv8/filters",
  "conv8/bias",
];

/**
 * Resolves and checks {@linkcode DetectOptions}.
 *
 * @param options Partial options.
 * @returns Every field filled in.
 * @throws {ConfigError} For an input size that is not a multiple of 32 in 64..608, or a threshold outside (0, 1).
 * @example
 * ```ts
 * console.assert(resolveDetectOptions({}).inputSize === 320);
 * ```
 */
export function resolveDetectOptions(options: DetectOptions = {}): Required<DetectOptions> {
  const { inputSize = 320, scoreThreshold = 0.5, iouThreshold = 0.4 } = options;
  if (!Number.isInteger(inputSize) || inputSize % 32 !== 0 || inputSize < 64 || inputSize > 608) {
    throw new ConfigError(`Detector input size is ${inputSize}; use a multiple of 32 from 64 to 608, e.g. 320`);
  }
  for (const [name, value] of [["scoreThreshold", scoreThreshold], ["iouThreshold", iouThreshold]] as const) {
    if (!(value > 0 && value < 1)) throw new ConfigError(`Detector ${name} is ${value}; use a number between 0 and 1, e.g. 0.5`);
  }
  return { inputSize, scoreThreshold, iouThreshold };
}

/**
 * Finds faces in one RGB image.
 *
 * The image is padded at the right or bottom to a square, scaled to
 * `inputSize` (as face-api does), normalised by face-api's mean RGB
 * and run through the net; boxes above `scoreThreshold` survive
 * non-maximum suppression.
 *
 * @param weights The detector's weights (see {@linkcode FACE_DETECTOR_WEIGHT_NAMES}).
 * @param image `[height, width, 3]` RGB, values 0..255 (int32 or float32).
 * @param options See {@linkcode DetectOptions}.
 * @returns Faces, best first, in the image's pixels (boxes may reach past its edges).
 * @throws {ConfigError} For an image that is not `[h, w, 3]` or bad options.
 * @example
 * ```ts
 * const detector = await loadFaceDetector();
 * const faces = await detectFaces(detector.weights, tf.zeros([360, 640, 3]));
 * console.assert(faces.length === 0);
 * ```
 */
export async function detectFaces(weights: FaceDetectorWeights, image: tf.Tensor3D, options: DetectOptions = {}): Promise<FaceBox[]> {
  const { inputSize, scoreThreshold, iouThreshold } = resolveDetectOptions(options);
  const [height, width, channels] = image.shape;
  if (channels !== 3 || height < 1 || width < 1) {
    throw new ConfigError(`Face detection needs an RGB image [height, width, 3]; got shape [${image.shape.join(", ")}]`);
  }
  // face-api's computeReshapedDimensions: the longer side becomes inputSize.
  const scale = inputSize / Math.max(width, height);
  const scaledWidth = Math.round(width * scale);
  const scaledHeight = Math.round(height * scale);
  const output = tf.tidy(() => {
    // Pad to a square at full size, then resize: face-api's order, so boxes match its own.
    const side = Math.max(width, height);
    let x = tf.cast(image, "float32").expandDims(0) as tf.Tensor4D;
    x = tf.pad(x, [[0, 0], [0, side - height], [0, side - width], [0, 0]]);
    if (side !== inputSize) x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, false);
    x = tf.div(tf.sub(x, tf.tensor1d(MEAN_RGB)), 255);
    return forward(weights, x);
  });
  const cells = output.shape[1];
  const values = await output.data();
  output.dispose();
  const correctionX = inputSize / scaledWidth;
  const correctionY = inputSize / scaledHeight;
  const candidates: FaceBox[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let anchor = 0; anchor < ANCHORS.length; anchor++) {
        const at = ((row * cells + col) * ANCHORS.length + anchor) * 5;
        const score = sigmoid(values[at + 4]);
        if (score <= scoreThreshold) continue;
        const centerX = ((col + sigmoid(values[at])) / cells) * correctionX;
        const centerY = ((row + sigmoid(values[at + 1])) / cells) * correctionY;
        const boxWidth = ((Math.exp(values[at + 2]) * ANCHORS[anchor][0]) / cells) * correctionX;
        const boxHeight = ((Math.exp(values[at + 3]) * ANCHORS[anchor][1]) / cells) * correctionY;
        candidates.push({
          x: (centerX - boxWidth / 2) * width,
          y: (centerY - boxHeight / 2) * height,
          width: boxWidth * width,
          height: boxHeight * height,
          score,
        });
      }
    }
  }
  return nonMaxSuppression(candidates, iouThreshold);
}

/**
 * Intersection over union of two boxes (0 when they do not overlap).
 *
 * @param a A box.
 * @param b Another box.
 * @returns The IoU in [0, 1].
 * @example
 * ```ts
 * const box = { x: 0, y: 0, width: 2, height: 2, score: 1 };
 * console.assert(boxIou(box, { ...box, x: 1 }) === 2 / 6);
 * ```
 */
export function boxIou(a: Omit<FaceBox, "score">, b: Omit<FaceBox, "score">): number {
  const overlapWidth = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const overlapHeight = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (overlapWidth <= 0 || overlapHeight <= 0) return 0;
  const intersection = overlapWidth * overlapHeight;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

function forward(weights: FaceDetectorWeights, input: tf.Tensor4D): tf.Tensor4D {
  const weight = (name: string): tf.Tensor => {
    const tensor = weights[name];
    if (!tensor) {
      throw new ConfigError(
        `Face detector weight "${name}" is missing; it needs ${FACE_DETECTOR_WEIGHT_NAMES.join(", ")} (reinstall @vladmandic/face-api with: npm ci)`,
      );
    }
    return tensor;
  };
  let x = leaky(tf.add(tf.conv2d(input, weight("conv0/filters") as tf.Tensor4D, 1, "valid"), weight("conv0/bias")));
  for (let i = 1; i <= 5; i++) {
    x = tf.maxPool(x, 2, 2, "same");
    x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
    x = tf.separableConv2d(
      x,
      weight(`conv${i}/depthwise_filter`) as tf.Tensor4D,
      weight(`conv${i}/pointwise_filter`) as tf.Tensor4D,
      1,
      "valid",
    );
    x = leaky(tf.add(x, weight(`conv${i}/bias`)));
  }
  x = tf.maxPool(x, 2, 1, "same");
  return tf.add(tf.conv2d(x, weight("conv8/filters") as tf.Tensor4D, 1, "valid"), weight("conv8/bias"));
}

/** face-api's leaky ReLU (slope 0.1), written as it writes it so results match to the last bit. */
function leaky(x: tf.Tensor): tf.Tensor4D {
  const min = tf.mul(x, tf.scalar(0.10000000149011612));
  return tf.add(tf.relu(tf.sub(x, min)), min) as tf.Tensor4D;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

function nonMaxSuppression(boxes: FaceBox[], iouThreshold: number): FaceBox[] {
  const remaining = [...boxes].sort((a, b) => b.score - a.score);
  const kept: FaceBox[] = [];
  while (remaining.length > 0) {
    const best = remaining.shift() as FaceBox;
    kept.push(best);
    for (let i = remaining.length - 1; i >= 0; i--) {
      if (boxIou(best, remaining[i]) > iouThreshold) remaining.splice(i, 1);
    }
  }
  return kept;
}
