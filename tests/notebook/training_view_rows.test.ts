import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { makeImageSet } from "../../src/data/image_set.ts";
import { makeRng } from "../../src/core/seed.ts";
import { trainingViewRows } from "../../src/notebook/training_view_rows.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

// Four 2x2 images, every pixel of image i the gray value 40 * (i + 1); labels alternate.
const set = makeImageSet(
  { pixels: Uint8Array.from({ length: 16 }, (_, p) => 40 * (Math.floor(p / 4) + 1)), labels: Uint8Array.of(0, 1, 0, 1), paths: ["a", "b", "c", "d"] },
  { height: 2, width: 2, channels: 1 },
);

describe("trainingViewRows", () => {
  it("shows the images as stored with their class, augmented, and mixed with the partner and share in each caption", () => {
    const rows = trainingViewRows(set, {
      classes: ["happy", "sad"],
      augmentation: { horizontalFlip: true },
      mixes: [{ name: "mixup", alpha: 0.4, probability: 0.5 }],
      count: 4,
      rng: makeRng(2),
    });
    expect(rows.map((r) => r.label)).toEqual(["as stored", "augmented", "mixup\nalpha 0.4"]);
    const stored = rows[0].tiles.map((t) => Math.round(t.pixels[0]));
    expect([...stored].sort((a, b) => a - b)).toEqual([40, 80, 120, 160]);
    for (const tile of rows[0].tiles) expect(tile.caption).toBe((Math.round(tile.pixels[0]) / 40) % 2 === 1 ? "happy" : "sad");
    // A flip of a flat image leaves it as it was.
    expect(rows[1].tiles.map((t) => Math.round(t.pixels[0]))).toEqual(stored);
    // Mixing is always shown (probability forced to 1): each tile is own * l + partner * (1 - l).
    for (const [i, tile] of rows[2].tiles.entries()) {
      const match = /^(\d\.\d\d) \+ #(\d)$/.exec(tile.caption ?? "");
      expect(match).not.toBeNull();
      const partner = stored[Number(match![2]) - 1];
      const share = (tile.pixels[0] - partner) / (stored[i] - partner || 1);
      if (stored[i] !== partner) expect(share).toBeCloseTo(Number(match![1]), 1);
    }
  });

  it("refuses fewer than two images or more than the split holds", () => {
    const base = { classes: ["happy", "sad"], augmentation: {}, rng: makeRng(0) };
    expect(() => trainingViewRows(set, { ...base, count: 1 })).toThrow(ConfigError);
    expect(() => trainingViewRows(set, { ...base, count: 5 })).toThrow("holds 4 images");
  });

  it("leaks no tensors", () => {
    const before = tf.memory().numTensors;
    trainingViewRows(set, { classes: ["happy", "sad"], augmentation: { rotationDegrees: 10 }, mixes: [{ name: "cutmix", alpha: 1, probability: 1 }], count: 3, rng: makeRng(1) });
    expect(tf.memory().numTensors).toBe(before);
  });
});
