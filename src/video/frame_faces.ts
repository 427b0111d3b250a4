/**
 * The faces of one video frame, the step `fer video` (run_video.ts) and the
 * live page (live_page/live_app.ts) share: ask the re-detection rule whether
 * the detector must run on this frame (redetect_rule.ts); if not, keep the last
 * boxes; either way cut the registered gray crops from the frame's bytes
 * (crop_faces_from_rgb.ts). The detector is about 4 times the classifier's
 * cost, so most frames skip it (bench/video_pipeline.ts measures by how much).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { cropFacesFromRgb } from "./crop_faces_from_rgb.ts";
import type { RedetectReason, RedetectRule, RgbFrame } from "./redetect_rule.ts";
import type { FaceBox } from "./tiny_face_detector.ts";

/** One frame's faces, and what finding them cost. */
export interface FrameFaces {
  /** The faces: new boxes when the detector ran, else the kept ones. */
  boxes: FaceBox[];
  /** One `cropSize * cropSize` gray crop per box, in box order. */
  crops: Uint8Array[];
  /** Why the detector ran on this frame, or null when the kept boxes served. */
  reason: RedetectReason | null;
  /** Milliseconds in the detector (0 when it did not run). */
  detectMs: number;
  /** Milliseconds in the rule's checks and in cutting crops. */
  cropMs: number;
}

/** Finds the faces of a run of frames; make one with {@linkcode frameFaceFinder}. */
export class FrameFaceFinder {
  #kept: FaceBox[] = [];

  /**
   * @param rule When to run the detector.
   * @param detect The detector on an int32 `[height, width, 3]` frame tensor.
   * @param cropSize The classifier's input size.
   */
  constructor(
    readonly rule: RedetectRule,
    readonly detect: (image: tf.Tensor3D) => Promise<FaceBox[]>,
    readonly cropSize: number,
  ) {}

  /**
   * The faces of the next frame (frames in increasing index order).
   *
   * @param index The frame's number.
   * @param frame Its RGB bytes.
   * @returns Boxes, crops, why the detector ran (or null) and the time spent.
   * @example
   * ```ts
   * const { boxes, crops } = await finder.next(frame.index, frame);
   * ```
   */
  async next(index: number, frame: RgbFrame): Promise<FrameFaces> {
    let mark = performance.now();
    let reason = this.rule.check(index, frame);
    let crops: Uint8Array[] = [];
    if (reason === null && this.#kept.length > 0) {
      crops = this.#crop(frame, this.#kept);
      reason = this.rule.checkCrops(crops);
    }
    let cropMs = performance.now() - mark;
    let detectMs = 0;
    if (reason !== null) {
      mark = performance.now();
      const image = tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], "int32");
      try {
        this.#kept = await this.detect(image);
      } finally {
        image.dispose();
      }
      detectMs = performance.now() - mark;
      mark = performance.now();
      crops = this.#crop(frame, this.#kept);
      this.rule.detected(index, crops);
      cropMs += performance.now() - mark;
    }
    return { boxes: this.#kept, crops, reason, detectMs, cropMs };
  }

  #crop(frame: RgbFrame, boxes: FaceBox[]): Uint8Array[] {
    return cropFacesFromRgb(frame.rgb, frame.width, frame.height, boxes, { size: this.cropSize });
  }
}

/**
 * A finder with no kept faces yet (the first frame runs the detector).
 *
 * @param rule When to run the detector (redetect_rule.ts).
 * @param detect The detector on an int32 frame tensor.
 * @param cropSize The classifier's input size.
 * @returns The finder.
 * @example
 * ```ts
 * const finder = frameFaceFinder(redetectRule(), (image) => detectFaces(weights, image), 48);
 * ```
 */
export function frameFaceFinder(rule: RedetectRule, detect: (image: tf.Tensor3D) => Promise<FaceBox[]>, cropSize: number): FrameFaceFinder {
  return new FrameFaceFinder(rule, detect, cropSize);
}
