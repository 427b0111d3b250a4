import { describe, expect, it } from "vitest";
import { meanFaceRow } from "../../src/notebook/mean_face_row.ts";

describe("meanFaceRow", () => {
  it("captions each class with the number of images averaged", () => {
    const rows = meanFaceRow([
      { className: "happy", images: 3, pixels: Float32Array.of(1, 2) },
      { className: "sad", images: 5, pixels: Float32Array.of(1, 2) },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].tiles.map((t) => t.caption)).toEqual(["happy (3)", "sad (5)"]);
  });

  it("stretches each face from its own darkest to its lightest value onto 0-255", () => {
    const [row] = meanFaceRow([{ className: "happy", images: 1, pixels: Float32Array.of(100, 125, 150) }]);
    expect(Array.from(row.tiles[0].pixels)).toEqual([0, 127.5, 255]);
  });

  it("leaves the values as they are when asked not to stretch", () => {
    const [row] = meanFaceRow([{ className: "happy", images: 1, pixels: Float32Array.of(100, 150) }], { stretch: false });
    expect(Array.from(row.tiles[0].pixels)).toEqual([100, 150]);
  });

  it("leaves a flat face (a class without images) unchanged", () => {
    const [row] = meanFaceRow([{ className: "sad", images: 0, pixels: new Float32Array(3) }]);
    expect(Array.from(row.tiles[0].pixels)).toEqual([0, 0, 0]);
  });
});
