/**
 * When the video pipeline runs the face detector, and when it keeps the last
 * boxes instead.
 *
 * The detector is the costliest stage (about 4 times the classifier on the
 * tensorflow backend at input 320), while a face on video moves little from
 * one frame to the next. So the detector runs on a frame only when one of
 * these holds, and otherwise every face keeps its last box (and track id):
 *
 * 1. **first**: the first frame;
 * 2. **interval**: `every` frames have passed since the last detection (a new
 *    face is found at most that late; 0.2 s by default);
 * 3. **scene**: the frame as a whole changed since the last detection: the mean
 *    absolute difference of a 64-column gray thumbnail exceeds `frameChange`
 *    gray levels (a cut, a camera move, a face entering);
 * 4. **face**: a kept box no longer shows what it showed: the mean absolute
 *    difference between a face's crop now and at its detection exceeds
 *    `cropChange` gray levels (the face moved inside its box, or left it).
 *
 * `every: 1` runs the detector on every frame (the pipeline before this rule).
 * The thresholds were set on the real clips at 30 fps: over 6 frames (0.2 s)
 * the thumbnail changes by at most 13 gray levels on single_face.mp4 and by up
 * to 22 on the panning cartoon of no_face.mp4 (a detection too many costs only
 * time), while the cut to the cartoon in face_noface.mov changes it by 146 in
 * one frame; a face's crop changes by 0-8 while the man talks and smiles and
 * by up to 17 while he turns his head at the start and the end of the clip,
 * so 12 re-detects there, where a kept box would start to slip.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** Options of {@linkcode redetectRule}. */
export interface RedetectOptions {
  /** Most frames from one detection to the next; 1 detects on every frame. @default 6 (0.2 s at 30 fps) */
  every?: number;
  /** Mean absolute change of the frame's gray thumbnail (0..255) that forces a detection. @default 20 */
  frameChange?: number;
  /** Mean absolute change of a kept face's crop (0..255) that forces a detection. @default 12 */
  cropChange?: number;
}

/** Why the detector runs on a frame (see the module doc). */
export type RedetectReason = "first" | "interval" | "scene" | "face";

/** A frame's pixels, as the decoder gives them. */
export interface RgbFrame {
  /** `height * width * 3` RGB bytes. */
  rgb: Uint8Array;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
}

/** Columns of the thumbnail the scene rule compares. */
const THUMBNAIL_COLUMNS = 64;

/** The rule's state over a video; make one with {@linkcode redetectRule}. */
export class RedetectRule {
  /** The options in force. */
  readonly options: Readonly<Required<RedetectOptions>>;
  #lastFrame = -Infinity;
  #lastThumbnail: Uint8Array | null = null;
  #lastCrops: Uint8Array[] = [];
  #thumbnail: Uint8Array | null = null;

  constructor(options: RedetectOptions = {}) {
    const { every = 6, frameChange = 20, cropChange = 12 } = options;
    if (!Number.isInteger(every) || every < 1) throw new ConfigError(`Detector interval is ${every} frames; use a whole number of at least 1 (1 detects on every frame), e.g. 6`);
    for (const [name, value] of [["frameChange", frameChange], ["cropChange", cropChange]] as const) {
      if (!(value > 0 && value <= 255)) throw new ConfigError(`Re-detection ${name} is ${value}; use gray levels in (0, 255], e.g. 12`);
    }
    this.options = { every, frameChange, cropChange };
  }

  /**
   * Rules 1 to 3, before any crop is cut: whether this frame needs the detector.
   *
   * @param index The frame's number (increasing).
   * @param frame Its pixels.
   * @returns The reason, or null when the kept boxes may serve (then ask {@linkcode RedetectRule.checkCrops}).
   * @example
   * ```ts
   * const rule = redetectRule({ every: 5 });
   * console.assert(rule.check(0, frame) === "first");
   * ```
   */
  check(index: number, frame: RgbFrame): RedetectReason | null {
    const first = this.#lastFrame === -Infinity;
    if (this.options.every === 1) return first ? "first" : "interval";
    this.#thumbnail = grayThumbnail(frame);
    if (first) return "first";
    if (index - this.#lastFrame >= this.options.every) return "interval";
    return meanAbsoluteDifference(this.#thumbnail, this.#lastThumbnail as Uint8Array) > this.options.frameChange ? "scene" : null;
  }

  /**
   * Rule 4: whether the kept boxes' crops changed too much since their detection.
   *
   * @param crops This frame's crops of the kept boxes, in the order {@linkcode RedetectRule.detected} got them.
   * @returns "face" or null.
   * @example
   * ```ts
   * if (rule.check(i, frame) === null && rule.checkCrops(crops) === null) useKeptBoxes();
   * ```
   */
  checkCrops(crops: readonly Uint8Array[]): RedetectReason | null {
    let change = 0;
    crops.forEach((crop, i) => {
      const reference = this.#lastCrops[i];
      if (reference && reference.length === crop.length) change = Math.max(change, meanAbsoluteDifference(crop, reference));
    });
    return change > this.options.cropChange ? "face" : null;
  }

  /**
   * Records a detection: the frame and the new boxes' crops become the references.
   *
   * @param index The frame's number.
   * @param crops The crops of the boxes the detector found.
   * @example
   * ```ts
   * rule.detected(i, cropFacesFromRgb(frame.rgb, frame.width, frame.height, boxes));
   * ```
   */
  detected(index: number, crops: readonly Uint8Array[]): void {
    this.#lastFrame = index;
    this.#lastThumbnail = this.#thumbnail;
    this.#lastCrops = [...crops];
  }
}

/**
 * A new rule with no detection yet (its first `check` says "first").
 *
 * @param options See {@linkcode RedetectOptions}.
 * @returns The rule.
 * @throws {ConfigError} For an interval below 1 or a threshold outside (0, 255].
 * @example
 * ```ts
 * const rule = redetectRule({ every: Math.round(fps / 5) });
 * ```
 */
export function redetectRule(options: RedetectOptions = {}): RedetectRule {
  return new RedetectRule(options);
}

/** Point samples of integer luma on a 64-column grid (rows by the aspect ratio): enough to see a cut, cheap to take. */
function grayThumbnail({ rgb, width, height }: RgbFrame): Uint8Array {
  const columns = Math.min(THUMBNAIL_COLUMNS, width);
  const rows = Math.max(1, Math.min(height, Math.round((columns * height) / width)));
  const thumbnail = new Uint8Array(columns * rows);
  for (let r = 0; r < rows; r++) {
    const y = Math.floor(((r + 0.5) * height) / rows);
    for (let c = 0; c < columns; c++) {
      const at = (y * width + Math.floor(((c + 0.5) * width) / columns)) * 3;
      thumbnail[r * columns + c] = (77 * rgb[at] + 150 * rgb[at + 1] + 29 * rgb[at + 2]) >> 8;
    }
  }
  return thumbnail;
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}
