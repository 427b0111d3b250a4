import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { makeImageSet } from "../../src/data/image_set.ts";
import { makeRng } from "../../src/core/seed.ts";
import { classSampleRows } from "../../src/notebook/class_sample_rows.ts";

// Five 1x1 images; each pixel value names its image: 10, 11, 12 are class 0; 20, 21 class 1.
const set = makeImageSet(
  { pixels: Uint8Array.of(10, 20, 11, 21, 12), labels: Uint8Array.of(0, 1, 0, 1, 0), paths: ["a", "b", "c", "d", "e"] },
  { height: 1, width: 1, channels: 1 },
);

describe("classSampleRows", () => {
  it("gives one row per class, labelled with its image count, holding only that class", () => {
    const rows = classSampleRows(set, ["happy", "sad"], { perClass: 5, rng: makeRng(1) });
    expect(rows.map((r) => r.label)).toEqual(["happy (3)", "sad (2)"]);
    expect(rows[0].tiles.map((t) => t.pixels[0]).sort()).toEqual([10, 11, 12]);
    expect(rows[1].tiles.map((t) => t.pixels[0]).sort()).toEqual([20, 21]);
  });

  it("takes at most perClass images per class", () => {
    const rows = classSampleRows(set, ["happy", "sad"], { perClass: 2, rng: makeRng(1) });
    expect(rows.map((r) => r.tiles.length)).toEqual([2, 2]);
  });

  it("picks the same images for the same seed", () => {
    const pick = (seed: number) => classSampleRows(set, ["happy", "sad"], { perClass: 1, rng: makeRng(seed) })[0].tiles[0].pixels[0];
    expect(pick(3)).toBe(pick(3));
  });

  it("shows the first channel of three-channel images", () => {
    const rgb = makeImageSet({ pixels: Uint8Array.of(7, 8, 9), labels: Uint8Array.of(0), paths: ["a"] }, {
      height: 1,
      width: 1,
      channels: 3,
    });
    expect(classSampleRows(rgb, ["happy"], { perClass: 1, rng: makeRng(0) })[0].tiles[0].pixels).toEqual(Uint8Array.of(7));
  });

  it("rejects a perClass that is not a whole number >= 1", () => {
    expect(() => classSampleRows(set, ["happy"], { perClass: 0, rng: makeRng(0) })).toThrow(ConfigError);
    expect(() => classSampleRows(set, ["happy"], { perClass: 0, rng: makeRng(0) })).toThrow(
      "Samples perClass 0 is not a whole number >= 1",
    );
  });
});
