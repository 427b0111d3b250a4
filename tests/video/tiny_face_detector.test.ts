import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { type FaceDetector, loadFaceDetector } from "../../src/video/load_face_detector.ts";
import { boxIou, detectFaces, resolveDetectOptions } from "../../src/video/tiny_face_detector.ts";
import { VIDEO_DATA } from "./_fixtures.ts";

let detector: FaceDetector;
beforeAll(async () => {
  await selectBackend("wasm");
  detector = await loadFaceDetector();
});
afterAll(() => tf.dispose(detector.weights));

describe("detectFaces", () => {
  it("finds nothing in a flat gray frame", async () => {
    const frame = tf.fill([360, 640, 3], 128) as tf.Tensor3D;
    expect(await detectFaces(detector.weights, frame)).toEqual([]);
    frame.dispose();
  });

  it("rejects a gray image and an input size that is not a multiple of 32", async () => {
    const gray = tf.zeros([64, 64, 1]) as tf.Tensor3D;
    await expect(detectFaces(detector.weights, gray)).rejects.toThrow("needs an RGB image [height, width, 3]; got shape [64, 64, 1]");
    gray.dispose();
    expect(() => resolveDetectOptions({ inputSize: 100 })).toThrow(ConfigError);
    expect(() => resolveDetectOptions({ scoreThreshold: 1.5 })).toThrow("Detector scoreThreshold is 1.5");
  });

  it("names a missing weight", async () => {
    const frame = tf.zeros([64, 64, 3]) as tf.Tensor3D;
    await expect(detectFaces({}, frame)).rejects.toThrow('Face detector weight "conv0/filters" is missing');
    frame.dispose();
  });
});

describe("boxIou", () => {
  it("is 1 for the same box and 0 for disjoint boxes", () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(boxIou(a, a)).toBe(1);
    expect(boxIou(a, { ...a, x: 20 })).toBe(0);
  });
});

describe.runIf(VIDEO_DATA)("detectFaces on the real photos", () => {
  // Boxes face-api itself found (fixtures/face_api_reference.ts): ours must match them.
  const reference: Record<string, Record<string, number[][]>> = JSON.parse(
    readFileSync("tests/video/fixtures/face_api_boxes.json", "utf8"),
  );
  for (const file of ["single_face.jpg", "multi_face.jpg"]) {
    it(`matches face-api's own boxes on ${file}`, async () => {
      const { data, info } = await sharp(join(VIDEO_DATA, file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const image = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], "int32");
      for (const [size, boxes] of Object.entries(reference[file])) {
        const found = await detectFaces(detector.weights, image, { inputSize: Number(size) });
        expect(found.length).toBe(boxes.length);
        if (file === "multi_face.jpg" && size === "416") expect(found.length).toBeGreaterThan(1);
        found.forEach((box, i) => {
          expect(box.x).toBeCloseTo(boxes[i][0], 1);
          expect(box.y).toBeCloseTo(boxes[i][1], 1);
          expect(box.width).toBeCloseTo(boxes[i][2], 1);
          expect(box.score).toBeCloseTo(boxes[i][4], 3);
        });
      }
      image.dispose();
    });
  }
});
