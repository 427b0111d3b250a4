import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { ConfigError, DatasetError } from "../../src/core/errors.ts";
import { imageGrid } from "../../src/notebook/image_grid.ts";

async function decode(png: Uint8Array) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, info, at: (x: number, y: number) => data[(y * info.width + x) * info.channels] };
}

describe("imageGrid", () => {
  it("sizes the image from the label column, the columns, the rows and the gaps", async () => {
    const tile = { pixels: new Uint8Array(4 * 4) };
    const png = await imageGrid([{ label: "a", tiles: [tile, tile, tile] }, { label: "b", tiles: [tile] }], {
      size: 4,
      scale: 2,
      labelWidth: 20,
    });
    const { info } = await decode(png);
    // width: label 20 + 3 tiles x (8 + 6) + 6; height: 2 rows x (8 + 6) + 6
    expect([info.width, info.height]).toEqual([20 + 3 * 14 + 6, 2 * 14 + 6]);
  });

  it("places each tile's pixels, enlarged by nearest neighbour, after the label column", async () => {
    const pixels = Uint8Array.of(10, 200, 90, 250);
    const png = await imageGrid([{ label: "", tiles: [{ pixels }] }], { size: 2, scale: 3, labelWidth: 0 });
    const { at } = await decode(png);
    const left = 6;
    const top = 6;
    expect([at(left, top), at(left + 2, top + 2), at(left + 3, top), at(left + 5, top + 5), at(left, top + 3)]).toEqual([
      10,
      10,
      200,
      250,
      90,
    ]);
  });

  it("rounds and clamps float pixels, as mean faces have them", async () => {
    const png = await imageGrid([{ label: "", tiles: [{ pixels: Float32Array.of(-5, 300.2, 127.6, 0.4) }] }], {
      size: 2,
      scale: 1,
      labelWidth: 0,
    });
    const { at } = await decode(png);
    expect([at(6, 6), at(7, 6), at(6, 7), at(7, 7)]).toEqual([0, 255, 128, 0]);
  });

  it("adds room for captions only when a tile has one", async () => {
    const tile = { pixels: new Uint8Array(16) };
    const plain = (await decode(await imageGrid([{ label: "a", tiles: [tile] }], { size: 4 }))).info.height;
    const captioned = (await decode(await imageGrid([{ label: "a", tiles: [{ ...tile, caption: "x" }] }], { size: 4 }))).info.height;
    expect(captioned - plain).toBe(16);
  });

  it("draws rows without tiles and an empty list instead of failing", async () => {
    const png = await imageGrid([], { size: 4 });
    expect((await decode(png)).info.height).toBe(4 * 2 + 12);
  });

  it("rejects a tile whose pixel count does not match the size, naming the row and tile", async () => {
    const rows = [{ label: "sad", tiles: [{ pixels: new Uint8Array(16) }, { pixels: new Uint8Array(10) }] }];
    await expect(imageGrid(rows, { size: 4 })).rejects.toThrow(DatasetError);
    await expect(imageGrid(rows, { size: 4 })).rejects.toThrow('Image grid row "sad", tile 2 has 10 values; expected 4x4 = 16 gray values');
  });

  it("rejects a scale that is not a whole number in [1, 16]", async () => {
    await expect(imageGrid([], { scale: 1.5 })).rejects.toThrow(ConfigError);
    await expect(imageGrid([], { scale: 0 })).rejects.toThrow("Image grid scale 0 is not a whole number in [1, 16]; use e.g. 2");
  });

  it("rejects a size outside [1, 1024]", async () => {
    await expect(imageGrid([], { size: 0 })).rejects.toThrow("Image grid size 0 is not a whole number of pixels in [1, 1024]");
  });
});
