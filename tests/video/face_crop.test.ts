import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { cropFaces, FACE_REGISTRATION, faceCropRegion } from "../../src/video/face_crop.ts";
import { cropFacesFromRgb } from "../../src/video/crop_faces_from_rgb.ts";

describe("faceCropRegion", () => {
  it("is a square of the measured size, moved up from the box centre", () => {
    const region = faceCropRegion({ x: 100, y: 200, width: 80, height: 120 });
    const side = 200 / FACE_REGISTRATION.sizeDivisor;
    expect(region.side).toBeCloseTo(side);
    expect(region.x + region.side / 2).toBeCloseTo(140 + FACE_REGISTRATION.shiftX * side);
    expect(region.y + region.side / 2).toBeCloseTo(260 + FACE_REGISTRATION.shiftY * side);
  });
});

describe("cropFaces", () => {
  it("turns RGB into luma gray at the requested size", async () => {
    const image = tf.tensor3d(new Array(64 * 64).fill([200, 100, 50]).flat(), [64, 64, 3]);
    const [face] = await cropFaces(image, [{ x: 16, y: 16, width: 32, height: 32, score: 1 }], { size: 16 });
    expect(face.length).toBe(256);
    expect(face[8 * 16 + 8]).toBe(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50));
    image.dispose();
  });

  it("keeps left on the left (no mirror) and fills outside the image with gray 128", async () => {
    // Left half black, right half white.
    const pixels = Array.from({ length: 40 * 40 }, (_, i) => (i % 40 < 20 ? [0, 0, 0] : [255, 255, 255])).flat();
    const image = tf.tensor3d(pixels, [40, 40, 3]);
    const [inside] = await cropFaces(image, [{ x: 5, y: 5, width: 30, height: 30, score: 1 }], { size: 10 });
    expect(inside[5 * 10 + 0]).toBeLessThan(20);
    expect(inside[5 * 10 + 9]).toBeGreaterThan(235);
    const [outside] = await cropFaces(image, [{ x: -200, y: -200, width: 60, height: 60, score: 1 }], { size: 10 });
    expect(outside.every((value) => value === 128)).toBe(true);
    image.dispose();
  });

  it("returns nothing for no faces and rejects a gray image", async () => {
    const rgb = tf.zeros([10, 10, 3]) as tf.Tensor3D;
    expect(await cropFaces(rgb, [])).toEqual([]);
    const gray = tf.zeros([10, 10, 1]) as tf.Tensor3D;
    await expect(cropFaces(gray, [{ x: 0, y: 0, width: 5, height: 5, score: 1 }])).rejects.toThrow(ConfigError);
    tf.dispose([rgb, gray]);
  });
});

describe("cropFacesFromRgb", () => {
  it("agrees with cropFaces to within one gray level, inside, across and outside the edges", async () => {
    // A smooth pattern with detail at every scale, 160x90 like a small video frame.
    const width = 160;
    const height = 90;
    const rgb = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 3;
        rgb[at] = (x * 7 + y * 3) % 256;
        rgb[at + 1] = Math.round(127 + 120 * Math.sin(x / 5) * Math.cos(y / 7));
        rgb[at + 2] = (x * y) % 251;
      }
    }
    const boxes = [
      { x: 40, y: 20, width: 50, height: 55, score: 1 }, // inside
      { x: -10, y: 50, width: 40, height: 50, score: 1 }, // past the left and bottom edges
      { x: 120.3, y: -7.6, width: 33.1, height: 29.9, score: 1 }, // fractional, past the top and right
    ];
    const image = tf.tensor3d(rgb, [height, width, 3], "int32");
    for (const size of [8, 16, 24]) {
      const expected = await cropFaces(image, boxes, { size });
      const actual = cropFacesFromRgb(rgb, width, height, boxes, { size });
      expect(actual.length).toBe(boxes.length);
      actual.forEach((face, i) => {
        expect(face.length).toBe(size * size);
        let worst = 0;
        face.forEach((value, p) => (worst = Math.max(worst, Math.abs(value - expected[i][p]))));
        expect(worst).toBeLessThanOrEqual(1);
      });
    }
    image.dispose();
  });

  it("refuses a byte count that does not match the frame size", () => {
    expect(() => cropFacesFromRgb(new Uint8Array(10), 2, 2, [{ x: 0, y: 0, width: 2, height: 2, score: 1 }])).toThrow("an RGB frame of 2x2 has 12");
    expect(cropFacesFromRgb(new Uint8Array(12), 2, 2, [])).toEqual([]);
  });
});
