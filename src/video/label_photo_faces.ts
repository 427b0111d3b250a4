/**
 * Faces in photos: read an image file, find every face, classify each, and
 * draw an annotated copy. Used by `fer detect` and `fer eval --detect`.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { VideoError } from "../core/errors.ts";
import { escapeHtml } from "../viz/escape_html.ts";
import { classifyFaces, type EmotionClassifier } from "./classify_faces.ts";
import { cropFaces } from "./face_crop.ts";
import { type DetectOptions, detectFaces, type FaceBox } from "./tiny_face_detector.ts";

/** Detector input size for photos: faces in photos are often small (multi_face.jpg needs 416). */
export const PHOTO_INPUT_SIZE = 416;

/** One labelled face of a photo. */
export interface PhotoFace {
  box: FaceBox;
  /** Class name of the highest probability. */
  label: string;
  /** Probability per class name. */
  probabilities: Record<string, number>;
}

/** What {@linkcode labelPhotoFaces} finds in one photo. */
export interface PhotoResult {
  path: string;
  width: number;
  height: number;
  faces: PhotoFace[];
}

/** A decoded photo: RGB pixels, upright (EXIF orientation applied). */
export interface Photo {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/**
 * Reads an image file (any format sharp reads) as upright RGB.
 *
 * @param path The file.
 * @returns Its pixels.
 * @throws {VideoError} When the file is missing or not an image.
 * @example
 * ```ts
 * const photo = await readPhoto("../shared/data/video/single_face.jpg");
 * console.assert(photo.rgb.length === photo.width * photo.height * 3);
 * ```
 */
export async function readPhoto(path: string): Promise<Photo> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new VideoError(`Image file ${path} does not exist; check the path (relative paths start at the project root)`);
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: "error" }).rotate().removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw new VideoError(`File ${path} is not an image sharp can read (${(error as Error).message}); pass a JPEG, PNG, WebP, GIF or TIFF`);
  }
}

/**
 * Finds and classifies every face of a photo.
 *
 * @param path The image file.
 * @param models The detector's weights and the classifier.
 * @param options Detector options. @default inputSize PHOTO_INPUT_SIZE
 * @returns The faces, best detection first.
 * @throws {VideoError} When the file is missing or not an image.
 * @example
 * ```ts
 * const result = await labelPhotoFaces("group.jpg", { detector: detector.weights, classifier });
 * console.log(result.faces.map((face) => face.label));
 * ```
 */
export async function labelPhotoFaces(
  path: string,
  models: { detector: tf.NamedTensorMap; classifier: EmotionClassifier },
  options: DetectOptions = {},
): Promise<PhotoResult> {
  const photo = await readPhoto(path);
  const image = tf.tidy(() => tf.cast(tf.tensor3d(photo.rgb, [photo.height, photo.width, 3], "int32"), "float32"));
  try {
    const boxes = await detectFaces(models.detector, image, { ...options, inputSize: options.inputSize ?? PHOTO_INPUT_SIZE });
    const crops = await cropFaces(image, boxes, { size: models.classifier.size });
    const probabilities = await classifyFaces(models.classifier, crops);
    const classes = models.classifier.classes;
    return {
      path,
      width: photo.width,
      height: photo.height,
      faces: boxes.map((box, i) => ({
        box,
        label: classes[probabilities[i].indexOf(Math.max(...probabilities[i]))],
        probabilities: Object.fromEntries(classes.map((name, c) => [name, probabilities[i][c]])),
      })),
    };
  } finally {
    image.dispose();
  }
}

/**
 * Writes a copy of the photo with each face's box and label drawn (PNG or JPEG by extension).
 *
 * @param result From {@linkcode labelPhotoFaces}.
 * @param out Destination file.
 * @returns Resolves when written.
 * @example
 * ```ts
 * await annotatePhoto(result, "results/detections/x/group.annotated.png");
 * ```
 */
export async function annotatePhoto(result: PhotoResult, out: string): Promise<void> {
  const stroke = Math.max(2, Math.round(result.width / 300));
  const font = Math.max(14, Math.round(result.width / 45));
  const parts = result.faces.map((face) => {
    const { x, y, width, height } = face.box;
    const text = `${escapeHtml(face.label)} ${(face.probabilities[face.label] * 100).toFixed(0)}%`;
    return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="none" stroke="#ffd400" stroke-width="${stroke}"/>` +
      `<text x="${x}" y="${Math.max(font, y - stroke * 2)}" font-family="sans-serif" font-size="${font}" fill="#ffd400" stroke="black" stroke-width="0.6">${text}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${result.width}" height="${result.height}">${parts.join("")}</svg>`;
  await sharp(result.path).rotate().composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).toFile(out);
}
