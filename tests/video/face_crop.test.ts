import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { cropFaces, FACE_REGISTRATION, faceCropRegion } from "../../src/video/face_crop.ts";

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
