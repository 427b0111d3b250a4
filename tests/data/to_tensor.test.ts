import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { makeImageSet } from "../../src/data/image_set.ts";
import { oneHotLabels, toBatchTensor } from "../../src/data/to_tensor.ts";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** Three 2x2 gray images: a ramp, a flat image and a bright one. */
const set = makeImageSet({
  pixels: Uint8Array.of(0, 2, 4, 6, 7, 7, 7, 7, 255, 255, 0, 0),
  labels: Uint8Array.of(2, 0, 1),
  paths: ["a.png", "b.png", "c.png"],
}, { height: 2, width: 2, channels: 1 });

function values(tensor: tf.Tensor): number[] {
  const out = Array.from(tensor.dataSync());
  tensor.dispose();
  return out;
}

describe("toBatchTensor", () => {
  it("stacks the chosen images as float32 [n, height, width, channels] in index order", () => {
    const x = toBatchTensor(set, [2, 0, 2], "none");
    expect(x.shape).toEqual([3, 2, 2, 1]);
    expect(x.dtype).toBe("float32");
    expect(values(x)).toEqual([255, 255, 0, 0, 0, 2, 4, 6, 255, 255, 0, 0]);
  });

  it("scale_0_1 divides by 255", () => {
    const got = values(toBatchTensor(set, [2], "scale_0_1"));
    expect(got).toEqual([1, 1, 0, 0]);
    expect(values(toBatchTensor(set, [1], "scale_0_1"))[0]).toBeCloseTo(7 / 255, 7);
  });

  it("standardize subtracts the image mean and divides by its standard deviation", () => {
    // [0, 2, 4, 6]: mean 3, population variance (9 + 1 + 1 + 9) / 4 = 5.
    const got = values(toBatchTensor(set, [0], "standardize"));
    const expected = [-3, -1, 1, 3].map((d) => d / Math.sqrt(5));
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it("standardize gives zeros for a flat image (the deviation floor avoids dividing by zero)", () => {
    expect(values(toBatchTensor(set, [1], "standardize"))).toEqual([0, 0, 0, 0]);
  });

  it("standardize floors the deviation at 1 / sqrt(N) for a nearly flat image", () => {
    const nearlyFlat = makeImageSet({ pixels: new Uint8Array(400).fill(10).fill(11, 0, 1), labels: Uint8Array.of(0), paths: ["n"] }, {
      height: 20,
      width: 20,
      channels: 1,
    });
    // mean 10.0025, std = sqrt(0.0025 * 0.9975) ~ 0.0499 < 1 / sqrt(400) = 0.05.
    const got = values(toBatchTensor(nearlyFlat, [0], "standardize"));
    expect(got[0]).toBeCloseTo((11 - 10.0025) / 0.05, 4);
    expect(got[1]).toBeCloseTo((10 - 10.0025) / 0.05, 4);
  });

  it("keeps three channels last", () => {
    const rgb = makeImageSet({ pixels: Uint8Array.of(1, 2, 3, 4, 5, 6), labels: Uint8Array.of(0), paths: ["x"] }, {
      height: 1,
      width: 2,
      channels: 3,
    });
    const x = toBatchTensor(rgb, [0], "none");
    expect(x.shape).toEqual([1, 1, 2, 3]);
    expect(values(x)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("rejects an index outside the set with a DatasetError", () => {
    expect(() => toBatchTensor(set, [3], "none")).toThrow(DatasetError);
    expect(() => toBatchTensor(set, [-1], "none")).toThrow("Image index -1 is outside the image set of 3 images");
  });

  it("rejects an unknown preprocessing with a ConfigError listing the known ones", () => {
    // @ts-expect-error: checking the runtime guard
    expect(() => toBatchTensor(set, [0], "zscore")).toThrow(ConfigError);
    // @ts-expect-error: checking the runtime guard
    expect(() => toBatchTensor(set, [0], "zscore")).toThrow("known: scale_0_1, standardize, none");
  });

  it("leaves no tensor behind but the result", () => {
    const before = tf.memory().numTensors;
    const x = toBatchTensor(set, [0, 1], "standardize");
    expect(tf.memory().numTensors).toBe(before + 1);
    x.dispose();
  });
});

describe("oneHotLabels", () => {
  it("gives one row per index with a 1 at the label", () => {
    const y = oneHotLabels(set, [0, 1, 2], 3);
    expect(y.shape).toEqual([3, 3]);
    expect(values(y)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it("rejects a label not below the class count", () => {
    expect(() => oneHotLabels(set, [0], 2)).toThrow("Label 2 of a.png is not below the class count 2");
  });
});
