import { describe, expect, it } from "vitest";
import { countPerClass, imageLength, makeImageSet } from "../../src/data/image_set.ts";
import { DatasetError } from "../../src/core/errors.ts";

const shape = { height: 2, width: 2, channels: 1 };

describe("image sets", () => {
  it("imageLength multiplies height, width and channels", () => {
    expect(imageLength({ height: 48, width: 48, channels: 3 })).toBe(6912);
  });

  it("makeImageSet takes the count from the labels and shares the arrays", () => {
    const pixels = new Uint8Array(8);
    const set = makeImageSet({ pixels, labels: Uint8Array.of(0, 1), paths: ["a", "b"] }, shape);
    expect(set.count).toBe(2);
    expect(set.pixels).toBe(pixels);
    expect([set.height, set.width, set.channels]).toEqual([2, 2, 1]);
  });

  it("makeImageSet rejects pixels that do not match the label count", () => {
    expect(() => makeImageSet({ pixels: new Uint8Array(7), labels: Uint8Array.of(0, 1), paths: ["a", "b"] }, shape))
      .toThrow(DatasetError);
  });

  it("makeImageSet rejects a path count that does not match the label count", () => {
    expect(() => makeImageSet({ pixels: new Uint8Array(8), labels: Uint8Array.of(0, 1), paths: ["a"] }, shape))
      .toThrow("Image set parts disagree: 2 labels, 1 paths and 8 pixels");
  });

  it("countPerClass counts each label, zero for absent classes", () => {
    const set = makeImageSet({ pixels: new Uint8Array(12), labels: Uint8Array.of(0, 2, 2), paths: ["a", "b", "c"] }, shape);
    expect(countPerClass(set, 4)).toEqual([1, 0, 2, 0]);
  });

  it("countPerClass rejects a label beyond the class count", () => {
    const set = makeImageSet({ pixels: new Uint8Array(4), labels: Uint8Array.of(3), paths: ["a"] }, shape);
    expect(() => countPerClass(set, 3)).toThrow("Label 3 is not below the class count 3");
  });
});
