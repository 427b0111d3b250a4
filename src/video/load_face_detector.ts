/**
 * Loads the face detector's weights from the @vladmandic/face-api package.
 *
 * @module
 */
import { join } from "node:path";
import { readWeightManifest } from "../transfer/read_weight_manifest.ts";
import type { FaceDetectorWeights } from "./tiny_face_detector.ts";

/** Where npm puts face-api's weights, relative to the project root. */
export const FACE_API_MODEL_DIR = "node_modules/@vladmandic/face-api/model";
/** The detector's weights-manifest name in {@linkcode FACE_API_MODEL_DIR}. */
export const FACE_DETECTOR_MODEL = "tiny_face_detector_model";

/** A loaded detector: its weights and their hash (recorded in video runs). */
export interface FaceDetector {
  /** Weights by face-api's names; release them with `tf.dispose(detector.weights)`. */
  weights: FaceDetectorWeights;
  /** SHA-256 of the weight files. */
  sha256: string;
  /** The model's name, for summaries. */
  name: string;
}

/**
 * Reads face-api's TinyFaceDetector weights (190 KB, uint8-quantised) onto the active backend.
 *
 * @param projectRoot Folder holding node_modules. @default "."
 * @returns The detector.
 * @throws {ConfigError} When the weights are missing (it says to run npm ci).
 * @example
 * ```ts
 * const detector = await loadFaceDetector();
 * console.assert(detector.weights["conv8/bias"].shape[0] === 25);
 * ```
 */
export async function loadFaceDetector(projectRoot = "."): Promise<FaceDetector> {
  const { weights, sha256 } = await readWeightManifest(join(projectRoot, FACE_API_MODEL_DIR), FACE_DETECTOR_MODEL, { install: "npm ci" });
  return { weights, sha256, name: `face-api ${FACE_DETECTOR_MODEL}` };
}
