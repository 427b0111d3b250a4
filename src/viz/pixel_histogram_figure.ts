/**
 * Gray-level histograms per split, overlaid: shows whether the splits share
 * brightness and contrast.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** A histogram of one split's pixels. */
export interface PixelHistogram {
  /** Share of pixels at each gray level 0..255 (sums to 1; all 0 for no pixels). */
  shares: number[];
  mean: number;
  /** Population standard deviation. */
  std: number;
  pixels: number;
}

/**
 * Counts gray levels over every value of a set's pixels.
 *
 * @param pixels uint8 values (all channels).
 * @returns Shares per level, mean and standard deviation.
 * @example
 * ```ts
 * const h = pixelHistogram(Uint8Array.of(0, 0, 255, 255));
 * console.assert(h.shares[0] === 0.5 && h.mean === 127.5 && h.std === 127.5);
 * ```
 */
export function pixelHistogram(pixels: Uint8Array): PixelHistogram {
  const counts = new Float64Array(256);
  for (const value of pixels) counts[value]++;
  const n = pixels.length;
  let sum = 0;
  let squares = 0;
  counts.forEach((count, level) => {
    sum += count * level;
    squares += count * level * level;
  });
  const mean = n === 0 ? 0 : sum / n;
  return {
    shares: Array.from(counts, (count) => (n === 0 ? 0 : count / n)),
    mean,
    std: n === 0 ? 0 : Math.sqrt(Math.max(0, squares / n - mean * mean)),
    pixels: n,
  };
}

/**
 * One line per split: the share of pixels (in %) at each gray level; the
 * legend gives each split's mean and standard deviation.
 *
 * @param splits Decoded splits by name (e.g. `dataset.splits`: an image set has `pixels`); missing ones are skipped.
 * @param options `title` of the figure. @default "Pixel intensity per split"
 * @returns The figure.
 * @example
 * ```ts
 * const figure = pixelHistogramFigure({ train: dataset.splits.train, test: dataset.splits.test });
 * console.assert(figure.data.length === 2);
 * ```
 */
export function pixelHistogramFigure(
  splits: Readonly<Record<string, { pixels: Uint8Array } | undefined>>,
  options: { title?: string } = {},
): Figure {
  const levels = Array.from({ length: 256 }, (_, i) => i);
  const data = Object.entries(splits)
    .filter((entry): entry is [string, { pixels: Uint8Array }] => entry[1] !== undefined)
    .map(([name, set]) => {
      const h = pixelHistogram(set.pixels);
      return {
        type: "scatter",
        mode: "lines",
        name: `${name} (mean ${h.mean.toFixed(1)}, std ${h.std.toFixed(1)})`,
        x: levels,
        y: h.shares.map((share) => 100 * share),
      };
    });
  return {
    data,
    layout: {
      title: { text: options.title ?? "Pixel intensity per split" },
      xaxis: { title: { text: "gray level" }, range: [0, 255] },
      yaxis: { title: { text: "% of pixels" } },
      legend: { title: { text: "split" } },
      width: 760,
      height: 420,
    },
  };
}
