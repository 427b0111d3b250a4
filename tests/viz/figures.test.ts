import { describe, expect, it } from "vitest";
import { countsBarFigure } from "../../src/viz/figures.ts";

describe("countsBarFigure", () => {
  it("makes one bar trace per split with the counts in class order", () => {
    const figure = countsBarFigure({ train: { sad: 2, happy: 5 }, test: { happy: 1 } }, ["happy", "sad"]);
    expect(figure.data.map((t) => [t.name, t.x, t.y])).toEqual([
      ["train", ["happy", "sad"], [5, 2]],
      ["test", ["happy", "sad"], [1, 0]],
    ]);
  });

  it("groups the bars and titles the figure", () => {
    const figure = countsBarFigure({ train: { happy: 1 } }, ["happy"], { title: "My data" });
    expect(figure.layout).toMatchObject({ barmode: "group", title: { text: "My data" } });
  });
});
