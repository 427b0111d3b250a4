import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { applyTransformParams, augmentBatch } from "../../src/data/augment.ts";
import { isAugmentationOff, resolveAugmentation } from "../../src/data/augmentation_config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A 3x3 single-channel image with nine different values. */
const ASYMMETRIC = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

function image(rows: number[][]): tf.Tensor4D {
  return tf.tensor4d(rows.flat(), [1, rows.length, rows[0].length, 1]);
}

function rowsOf(x: tf.Tensor4D, index = 0): number[][] {
  const [, height, width] = x.shape;
  const data = x.dataSync();
  return Array.from({ length: height }, (_, r) => Array.from(data.slice((index * height + r) * width, (index * height + r + 1) * width)));
}

/** A seeded batch of 4 random 6x6 gray images in [0, 1]. */
function randomBatch(seed = 5): tf.Tensor4D {
  const rng = makeRng(seed);
  return tf.tensor4d(Array.from({ length: 4 * 36 }, () => rng.next()), [4, 6, 6, 1]);
}

const EVERYTHING = {
  horizontalFlip: true,
  rotationDegrees: 20,
  shiftFraction: 0.1,
  zoomFraction: 0.1,
  brightness: 0.1,
  contrast: 0.2,
  erasing: { probability: 0.5, minArea: 0.05, maxArea: 0.2 },
  noise: 0.05,
};

describe("applyTransformParams", () => {
  it("flips left-right", () => {
    expect(rowsOf(applyTransformParams(image(ASYMMETRIC), [{ flip: true }]))).toEqual([[3, 2, 1], [6, 5, 4], [9, 8, 7]]);
  });

  it("gives the input back when flipped twice", () => {
    const once = applyTransformParams(image(ASYMMETRIC), [{ flip: true }]);
    expect(rowsOf(applyTransformParams(once, [{ flip: true }]))).toEqual(ASYMMETRIC);
  });

  it("leaves the image unchanged for rotation 0, shift 0 and zoom 1", () => {
    const out = applyTransformParams(image(ASYMMETRIC), [{ rotationDegrees: 0, shiftX: 0, shiftY: 0, zoom: 1 }]);
    expect(rowsOf(out)).toEqual(ASYMMETRIC);
  });

  it("rotates 90 degrees counter-clockwise like a hand-rotated array", () => {
    const expected = [[3, 6, 9], [2, 5, 8], [1, 4, 7]];
    expect(rowsOf(applyTransformParams(image(ASYMMETRIC), [{ rotationDegrees: 90 }], { interpolation: "nearest" }))).toEqual(expected);
    expect(rowsOf(applyTransformParams(image(ASYMMETRIC), [{ rotationDegrees: 90 }], { interpolation: "bilinear" }))).toEqual(expected);
  });

  it("moves a bright pixel by the shift, right and up", () => {
    const rows = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
    rows[2][2] = 1;
    const out = rowsOf(applyTransformParams(image(rows), [{ shiftX: 0.2, shiftY: -0.4 }], { interpolation: "nearest" }));
    const bright = out.flatMap((row, r) => row.flatMap((v, c) => (v === 1 ? [[r, c]] : [])));
    expect(bright).toEqual([[0, 3]]);
  });

  it("zooms in about the centre (factor 2 enlarges the middle 2x2 of a 4x4 image)", () => {
    const rows = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
    const out = rowsOf(applyTransformParams(image(rows), [{ zoom: 2 }], { interpolation: "nearest" }));
    expect(out).toEqual([[6, 6, 7, 7], [6, 6, 7, 7], [10, 10, 11, 11], [10, 10, 11, 11]]);
  });

  it("transforms every image of a batch on the cpu backend, not only the first", () => {
    const x = tf.concat([image(ASYMMETRIC), image(ASYMMETRIC)]) as tf.Tensor4D;
    const out = applyTransformParams(x, [{ rotationDegrees: 90 }, { rotationDegrees: 90 }], { interpolation: "nearest" });
    expect(rowsOf(out, 1)).toEqual(rowsOf(out, 0));
    expect(rowsOf(out, 1)).toEqual([[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
  });

  it("shifts the mean by the brightness delta times the value range", () => {
    const x = randomBatch().slice([0, 0, 0, 0], [1, 6, 6, 1]) as tf.Tensor4D;
    const out = applyTransformParams(x, [{ brightness: 0.25 }], { valueRange: 2 });
    expect(out.mean().dataSync()[0]).toBeCloseTo(x.mean().dataSync()[0] + 0.5, 5);
  });

  it("measures the value range from the batch when none is given", () => {
    const out = applyTransformParams(image([[0, 2], [2, 0]]), [{ brightness: 0.5 }]);
    expect(rowsOf(out)).toEqual([[1, 3], [3, 1]]);
  });

  it("keeps the mean and scales deviations under contrast", () => {
    const out = applyTransformParams(image([[0, 2], [4, 6]]), [{ contrast: 0.5 }]);
    const got = rowsOf(out).flat();
    [1.5, 2.5, 3.5, 4.5].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it("fills an erased rectangle with the image mean", () => {
    const out = applyTransformParams(image(ASYMMETRIC), [{ erase: { top: 1, left: 0, height: 2, width: 2, fill: "mean" } }]);
    expect(rowsOf(out)).toEqual([[1, 2, 3], [5, 5, 6], [5, 5, 9]]);
  });

  it("fills an erased rectangle with zero", () => {
    const out = applyTransformParams(image(ASYMMETRIC), [{ erase: { top: 0, left: 2, height: 3, width: 1, fill: "zero" } }]);
    expect(rowsOf(out)).toEqual([[1, 2, 0], [4, 5, 0], [7, 8, 0]]);
  });

  it("adds seeded Gaussian noise in units of the value range, the same draws a hand-seeded generator gives", () => {
    const zeros = tf.zeros([1, 3, 3, 1]) as tf.Tensor4D;
    const rng = makeRng(3);
    const expected = Array.from({ length: 9 }, () => 0.1 * rng.normal());
    const unit = applyTransformParams(zeros, [{ noise: { std: 0.1, seed: 3 } }], { valueRange: 1 }).dataSync();
    expected.forEach((v, i) => expect(unit[i]).toBeCloseTo(v, 6));
    const gray = applyTransformParams(zeros, [{ noise: { std: 0.1, seed: 3 } }], { valueRange: 255 }).dataSync();
    expected.forEach((v, i) => expect(gray[i]).toBeCloseTo(255 * v, 3));
  });

  it("adds noise after erasing, so an erased patch is noisy too, and leaves images without noise as they were", () => {
    const x = tf.concat([image(ASYMMETRIC), image(ASYMMETRIC)]) as tf.Tensor4D;
    const erase = { top: 0, left: 0, height: 3, width: 3, fill: "zero" as const };
    const out = applyTransformParams(x, [{ erase, noise: { std: 0.5, seed: 1 } }, {}], { valueRange: 1 });
    const noisy = rowsOf(out, 0).flat();
    expect(new Set(noisy).size).toBe(9);
    expect(rowsOf(out, 1)).toEqual(ASYMMETRIC);
  });

  it("rejects a parameter list that does not match the batch", () => {
    expect(() => applyTransformParams(image(ASYMMETRIC), [{}, {}])).toThrow("Got 2 transform parameter sets for a batch of 1 images");
  });
});

describe("augmentBatch", () => {
  it("gives a bit-identical batch for the same seed", () => {
    const x = randomBatch();
    const a = augmentBatch(x, EVERYTHING, makeRng(11)).dataSync();
    const b = augmentBatch(x, EVERYTHING, makeRng(11)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("gives a different batch for a different seed", () => {
    const x = randomBatch();
    const a = augmentBatch(x, EVERYTHING, makeRng(11)).dataSync();
    const b = augmentBatch(x, EVERYTHING, makeRng(12)).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it("draws each image's noise level from [0, n]: the added noise's spread stays below n and differs between images", () => {
    const x = tf.zeros([4, 24, 24, 1]) as tf.Tensor4D;
    const data = augmentBatch(x, { noise: 0.2, valueRange: 1 }, makeRng(4)).dataSync();
    const spreads = [0, 1, 2, 3].map((i) => {
      const values = Array.from(data.slice(i * 576, (i + 1) * 576));
      return Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
    });
    for (const spread of spreads) expect(spread).toBeLessThan(0.2 * 1.15);
    expect(Math.max(...spreads) - Math.min(...spreads)).toBeGreaterThan(0.01);
  });

  it("fills the whole image with its mean when erasing covers the full area", () => {
    const x = randomBatch();
    const out = augmentBatch(x, { erasing: { probability: 1, minArea: 1, maxArea: 1 } }, makeRng(3));
    const means = x.mean([1, 2, 3]).dataSync();
    const data = out.dataSync();
    for (let i = 0; i < 4; i++) {
      for (let p = 0; p < 36; p++) expect(data[i * 36 + p]).toBeCloseTo(means[i], 6);
    }
  });

  it("returns an equal new tensor when everything is off, leaving the input usable", () => {
    const x = randomBatch();
    const out = augmentBatch(x, {}, makeRng(0));
    expect(out).not.toBe(x);
    expect(Array.from(out.dataSync())).toEqual(Array.from(x.dataSync()));
    out.dispose();
    expect(x.isDisposed).toBe(false);
  });

  it("leaves no tensor behind but the result", () => {
    const x = randomBatch();
    const before = tf.memory().numTensors;
    const out = augmentBatch(x, { ...EVERYTHING, erasing: { probability: 1, minArea: 0.1, maxArea: 0.3 } }, makeRng(9));
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
    x.dispose();
  });

  it("runs only kernels that the wasm backend registers", async () => {
    const x = randomBatch();
    const config = { ...EVERYTHING, erasing: { probability: 1, minArea: 0.1, maxArea: 0.3 } };
    const profile = await tf.profile(() => augmentBatch(x, config, makeRng(9)));
    const kernels = [...new Set(profile.kernels.map((k) => k.name))];
    expect(kernels).toContain("Transform");
    expect(kernels.filter((name) => tf.getKernel(name, "wasm") === undefined)).toEqual([]);
  });
});

describe("augmentation settings", () => {
  it("resolveAugmentation turns every part off by default", () => {
    expect(resolveAugmentation({})).toEqual({
      horizontalFlip: false,
      rotationDegrees: 0,
      shiftFraction: 0,
      zoomFraction: 0,
      brightness: 0,
      contrast: 0,
      erasing: null,
      noise: 0,
      interpolation: "bilinear",
      valueRange: null,
    });
  });

  it("resolveAugmentation fills the erasing fill with the mean", () => {
    expect(resolveAugmentation({ erasing: { probability: 0.5, minArea: 0.02, maxArea: 0.2 } }).erasing?.fill).toBe("mean");
  });

  it("resolveAugmentation rejects a zoom of 1 or more, naming the field", () => {
    expect(() => resolveAugmentation({ zoomFraction: 1 })).toThrow(ConfigError);
    expect(() => resolveAugmentation({ zoomFraction: 1 })).toThrow("Augmentation zoomFraction 1 is outside [0, 0.99]");
  });

  it("resolveAugmentation rejects an erasing maxArea below minArea", () => {
    expect(() => resolveAugmentation({ erasing: { probability: 1, minArea: 0.3, maxArea: 0.2 } }))
      .toThrow("Augmentation erasing.maxArea 0.2 is outside [0.3, 1]");
  });

  it("isAugmentationOff is true for an empty config and for erasing with probability 0", () => {
    expect(isAugmentationOff({})).toBe(true);
    expect(isAugmentationOff({ erasing: { probability: 0, minArea: 0.1, maxArea: 0.2 } })).toBe(true);
  });

  it("isAugmentationOff is false when any part is on", () => {
    expect(isAugmentationOff({ contrast: 0.1 })).toBe(false);
    expect(isAugmentationOff({ noise: 0.05 })).toBe(false);
  });

  it("resolveAugmentation rejects a noise level outside [0, 1], naming the field", () => {
    expect(() => resolveAugmentation({ noise: 1.5 })).toThrow("Augmentation noise 1.5 is outside [0, 1]");
  });
});
