import { describe, expect, it } from "vitest";
import { labelRowsFigure, timelineFigure } from "../../src/viz/timeline_figure.ts";

describe("timelineFigure", () => {
  it("draws one line per class and one band piece per run of the same smoothed label", () => {
    const figure = timelineFigure([{ id: 1, times: [0, 1, 2], probabilities: [[0.9, 0.1], [0.8, 0.2], [0.2, 0.8]], smoothed: [0, 0, 1] }], ["happy", "sad"]);
    expect(figure.data.map((t) => t.name)).toEqual(["happy", "sad"]);
    expect((figure.layout.shapes as { x0: number; x1: number }[]).map((s) => [s.x0, s.x1])).toEqual([[0, 2], [2, 2]]);
  });
});

describe("labelRowsFigure", () => {
  it("draws the first row on top and gives each class one legend entry", () => {
    const figure = labelRowsFigure([{ name: "a", labels: [0, 1] }, { name: "b", labels: [1, 1] }], [0, 0.5], ["happy", "sad"]);
    expect((figure.layout.yaxis as { categoryarray: string[] }).categoryarray).toEqual(["b", "a"]);
    expect(figure.data.filter((t) => t.showlegend).map((t) => t.name)).toEqual(["happy", "sad"]);
    expect(figure.data[3]).toMatchObject({ name: "sad", x: [0, 0.5], y: ["b", "b"] });
  });
});
