import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { parseTtaConfig, ttaFromList, ttaFromOption } from "../../src/predict/tta_config.ts";
import { applyTtaView, type TtaView, ttaViews } from "../../src/predict/tta_views.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A 3x3 one-channel image with pixels 1..9, row by row. */
const image = () => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const view = (extra: Partial<TtaView>): TtaView => ({ name: "v", shift: null, crop: null, flip: false, ...extra });
const pixels = (x: tf.Tensor) => Array.from(x.dataSync(), (v) => +v.toFixed(6));

describe("applyTtaView", () => {
  it("mirrors left-right", () => {
    expect(pixels(applyTtaView(image(), view({ flip: true })))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });

  it("shifts right by one pixel, repeating the left edge", () => {
    expect(pixels(applyTtaView(image(), view({ shift: [1, 0] })))).toEqual([1, 1, 2, 4, 4, 5, 7, 7, 8]);
  });

  it("shifts up by one pixel, repeating the bottom edge", () => {
    expect(pixels(applyTtaView(image(), view({ shift: [0, -1] })))).toEqual([4, 5, 6, 7, 8, 9, 7, 8, 9]);
  });

  it("crops the top-left 2x2 and resizes it back to 3x3 bilinearly", () => {
    // round(0.6 * 3) = 2 pixels: [[1, 2], [4, 5]] sampled at 0, 0.5 and 1 of its side.
    const out = applyTtaView(image(), view({ crop: { size: 0.6, position: "top_left" } }));
    expect(pixels(out)).toEqual([1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
  });

  it("crops the bottom-right corner", () => {
    const out = applyTtaView(image(), view({ crop: { size: 0.6, position: "bottom_right" } }));
    expect(pixels(out)).toEqual([5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9]);
  });

  it("leaves the input tensor alive and unchanged", () => {
    const x = image();
    applyTtaView(x, view({ flip: true, shift: [1, 1] })).dispose();
    expect(pixels(x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("ttaViews", () => {
  it("lists the image itself alone without TTA", () => {
    expect(ttaViews(null).map((v) => v.name)).toEqual(["identity"]);
  });

  it("lists the identity, the shifts and the crops, each followed by its mirror with flip on", () => {
    const tta = parseTtaConfig({ horizontalFlip: true, shifts: [[2, 0]], crops: { size: 0.9, positions: ["center"] } });
    expect(ttaViews(tta).map((v) => v.name)).toEqual([
      "identity",
      "identity+flip",
      "shift(2,0)",
      "shift(2,0)+flip",
      "crop(0.9,center)",
      "crop(0.9,center)+flip",
    ]);
  });
});

describe("ttaFromList and parseTtaConfig", () => {
  it("combines presets from a comma-separated list", () => {
    const tta = ttaFromList("flip, crop");
    expect(tta.horizontalFlip).toBe(true);
    expect(tta.shifts).toEqual([]);
    expect(tta.crops).toEqual({ size: 0.9, positions: ["center", "top_left", "top_right", "bottom_left", "bottom_right"] });
    expect(ttaViews(ttaFromList("flip,shift"))).toHaveLength(10);
  });

  it("gives the ten crops of a net that sees the centre 40x40 by flip,corners, and joins the shifts of two words", () => {
    const tenCrops = ttaFromList("flip,corners");
    expect(tenCrops.shifts).toEqual([[4, 4], [-4, 4], [4, -4], [-4, -4]]);
    expect(ttaViews(tenCrops)).toHaveLength(10);
    const both = ttaFromList("shift,corners");
    expect(both.horizontalFlip).toBe(false);
    expect(both.shifts).toEqual([[2, 0], [-2, 0], [0, 2], [0, -2], [4, 4], [-4, 4], [4, -4], [-4, -4]]);
    expect(ttaViews(both)).toHaveLength(9);
  });

  it("names an unknown preset and the known ones", () => {
    expect(() => ttaFromList("flip,rotate")).toThrow(ConfigError);
    expect(() => ttaFromList("flip,rotate")).toThrow('Option --tta is "flip,rotate" ("rotate" is unknown); pass some of flip, shift, corners, crop');
  });

  it("reads none as the image alone where a command's --tta takes it, and offers none in its error", () => {
    expect(ttaFromOption(" none ")).toBeNull();
    expect(ttaFromOption("flip")).toEqual(ttaFromList("flip"));
    expect(() => ttaFromOption("mirror")).toThrow('Option --tta is "mirror" ("mirror" is unknown); pass some of flip, shift, corners, crop separated by commas, e.g. flip,shift, or none for the image alone');
    expect(() => ttaFromList("none")).toThrow('("none" is unknown)');
  });

  it("names the field of a crop size out of range", () => {
    expect(() => parseTtaConfig({ crops: { size: 1.5 } }, "x.json")).toThrow(/Invalid config in x\.json:\n {2}crops\.size: /);
  });
});
