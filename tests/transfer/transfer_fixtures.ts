/**
 * Shared test inputs for the transfer tests.
 */
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { inputAdapter } from "../../src/models/input_adapter.ts";
import { resolveNormalization } from "../../src/transfer/normalization.ts";

/** face-api's weights in node_modules. */
export const FACE_API_MODELS = "node_modules/@vladmandic/face-api/model";

/** One reference case: face-api's outputs on one gray test image. */
export interface FaceApiReferenceCase {
  pattern: 0 | 1;
  expressionFeatures: number[];
  expressionProbabilities: number[];
  recognitionDescriptor: number[];
}

/** fixtures/face_api_reference.json: face-api's own outputs, written by fixtures/face_api_reference.cjs. */
export function faceApiReference(): { cases: FaceApiReferenceCase[] } {
  return JSON.parse(readFileSync("tests/transfer/fixtures/face_api_reference.json", "utf8"));
}

/**
 * face-api's input path for a gray image already at the net's size: replicate
 * to RGB, subtract the mean RGB, divide by 255.
 */
export function faceApiInput(size: number): { input: tf.SymbolicTensor; output: tf.SymbolicTensor } {
  const input = tf.input({ shape: [size, size, 1] });
  const { mean, std } = resolveNormalization("face_api", 3);
  return { input, output: inputAdapter({ size, channels: 3, inputScale: 1, mean, std }).apply(input) as tf.SymbolicTensor };
}

/**
 * The gray test images of fixtures/face_api_reference.cjs, `[1, size, size, 1]`
 * with values 0..255: pattern 0 is a ramp, 1 a soft blob.
 */
export function referenceImage(size: number, pattern: 0 | 1): tf.Tensor4D {
  const pixels: number[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x / (size - 1), v = y / (size - 1);
      const value = pattern === 0 ? 255 * (0.6 * u + 0.4 * v) : 255 * Math.exp(-((u - 0.45) ** 2 + (v - 0.55) ** 2) / 0.08);
      pixels.push(Math.round(value));
    }
  }
  return tf.tensor4d(pixels, [1, size, size, 1]);
}

/** Largest absolute difference between two equal-length arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `fer-${prefix}-`));
}

/**
 * A hand-written tfjs graph model: input `x` `[n, 2, 2, 1]`, node `scaled` = x * w with
 * w = [[1, 2], [3, 4]] (per pixel), node `out` = Identity(scaled). Written as model.json +
 * weights.bin in `dir`, the layout tensorflowjs_converter produces.
 */
export async function writeTinyGraphModel(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const shape = (dims: number[]) => ({ dim: dims.map((size) => ({ size: String(size) })) });
  const modelJson = {
    format: "graph-model",
    generatedBy: "hand-written test fixture",
    convertedBy: null,
    modelTopology: {
      node: [
        { name: "x", op: "Placeholder", attr: { dtype: { type: "DT_FLOAT" }, shape: { shape: shape([-1, 2, 2, 1]) } } },
        { name: "w", op: "Const", attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", tensorShape: shape([1, 2, 2, 1]) } } } },
        { name: "scaled", op: "Mul", input: ["x", "w"], attr: { T: { type: "DT_FLOAT" } } },
        { name: "out", op: "Identity", input: ["scaled"], attr: { T: { type: "DT_FLOAT" } } },
      ],
      library: {},
      versions: { producer: 1 },
    },
    weightsManifest: [{ paths: ["weights.bin"], weights: [{ name: "w", shape: [1, 2, 2, 1], dtype: "float32" }] }],
  };
  await writeFile(join(dir, "weights.bin"), new Uint8Array(Float32Array.of(1, 2, 3, 4).buffer));
  await writeFile(join(dir, "model.json"), JSON.stringify(modelJson));
  return join(dir, "model.json");
}
