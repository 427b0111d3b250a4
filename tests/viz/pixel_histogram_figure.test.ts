import { describe, expect, it } from "vitest";
import { makeImageSet } from "../../src/data/image_set.ts";
import { pixelHistogram, pixelHistogramFigure } from "../../src/viz/pixel_histogram_figure.ts";

describe("pixelHistogram", () => {
  it("gives shares, mean and population standard deviation computed by hand", () => {
    // values 0, 0, 100, 200: mean 75; squares 0 + 0 + 10000 + 40000 = 50000; 50000/4 - 75^2 = 6875
    const h = pixelHistogram(Uint8Array.of(0, 0, 100, 200));
    expect(h.shares[0]).toBe(0.5);
    expect(h.shares[100]).toBe(0.25);
    expect(h.shares[200]).toBe(0.25);
    expect(h.shares.reduce((a, b) => a + b, 0)).toBe(1);
    expect(h.mean).toBe(75);
    expect(h.std).toBeCloseTo(Math.sqrt(6875), 12);
  });

  it("gives all-zero shares for no pixels", () => {
    const h = pixelHistogram(new Uint8Array(0));
    expect(h.shares.every((s) => s === 0)).toBe(true);
    expect([h.mean, h.std, h.pixels]).toEqual([0, 0, 0]);
  });
});

describe("pixelHistogramFigure", () => {
  it("draws one line per present split, in percent, naming mean and deviation", () => {
    const set = (values: number[]) =>
      makeImageSet({ pixels: Uint8Array.from(values), labels: Uint8Array.of(0), paths: ["x"] }, {
        height: 1,
        width: values.length,
        channels: 1,
      });
    const figure = pixelHistogramFigure({ train: set([10, 10, 30, 30]), validation: undefined, test: set([20, 20, 20, 20]) });
    expect(figure.data.map((t) => t.name)).toEqual(["train (mean 20.0, std 10.0)", "test (mean 20.0, std 0.0)"]);
    const y = figure.data[0].y as number[];
    expect(y).toHaveLength(256);
    expect([y[10], y[30], y[20]]).toEqual([50, 50, 0]);
  });
});
