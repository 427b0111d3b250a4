/**
 * Figures of labels over time: the emotion timeline of a video (class
 * probabilities for each face track, with the smoothed label drawn as a
 * coloured band above them), and rows of labels over time side by side (the
 * smoothers compared).
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** One track's series for {@linkcode timelineFigure}. */
export interface TimelineTrack {
  /** Track id. */
  id: number;
  /** Frame times in seconds. */
  times: number[];
  /** One probability row per time, in class order. */
  probabilities: number[][];
  /** Smoothed label index per time. */
  smoothed: number[];
}

const COLORS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

/**
 * Builds the timeline figure: one line per class and track (solid for the
 * first track, dotted for later ones), and per track a band of rectangles,
 * one per run of the same smoothed label, labelled with the class name.
 *
 * @param tracks The tracks, in id order.
 * @param classes Class names in probability order.
 * @param options `title` and `durationS` (the x range; default the last time).
 * @returns The figure.
 * @example
 * ```ts
 * const figure = timelineFigure([{ id: 1, times: [0, 1], probabilities: [[0.9, 0.1], [0.2, 0.8]], smoothed: [0, 1] }], ["happy", "sad"]);
 * console.assert(figure.data.length === 2 && (figure.layout.shapes as unknown[]).length === 2);
 * ```
 */
export function timelineFigure(
  tracks: readonly TimelineTrack[],
  classes: readonly string[],
  options: { title?: string; durationS?: number } = {},
): Figure {
  const data: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  tracks.forEach((track, t) => {
    classes.forEach((name, c) =>
      data.push({
        type: "scatter",
        mode: "lines",
        name: tracks.length > 1 ? `${name} (track ${track.id})` : name,
        x: track.times,
        y: track.probabilities.map((row) => row[c]),
        line: { color: COLORS[c % COLORS.length], dash: t === 0 ? "solid" : "dot", width: 2 },
      })
    );
    const bottom = 1.04 + t * 0.1;
    let start = 0;
    for (let i = 1; i <= track.times.length; i++) {
      if (i < track.times.length && track.smoothed[i] === track.smoothed[start]) continue;
      const label = track.smoothed[start];
      const x0 = track.times[start];
      const x1 = i < track.times.length ? track.times[i] : track.times[i - 1];
      shapes.push({ type: "rect", xref: "x", yref: "y", x0, x1, y0: bottom, y1: bottom + 0.08, fillcolor: COLORS[label % COLORS.length], line: { width: 0 }, opacity: 0.8 });
      annotations.push({ x: (x0 + x1) / 2, y: bottom + 0.04, xref: "x", yref: "y", text: classes[label], showarrow: false, font: { size: 11, color: "white" } });
      start = i;
    }
  });
  const top = 1.04 + Math.max(1, tracks.length) * 0.1;
  const lastTime = Math.max(0, ...tracks.map((track) => track.times.at(-1) ?? 0));
  return {
    data,
    layout: {
      title: { text: options.title ?? "Emotion over time" },
      xaxis: { title: { text: "time (s)" }, range: [0, options.durationS ?? lastTime] },
      yaxis: { title: { text: "probability (band: smoothed label)" }, range: [0, top] },
      shapes,
      annotations,
      legend: { orientation: "h", y: -0.2 },
      margin: { t: 60, r: 20, b: 90, l: 60 },
    },
  };
}

/** One row of {@linkcode labelRowsFigure}: a name and a label index per time. */
export interface LabelRow {
  /** Shown at the row, e.g. the smoother and its flicker. */
  name: string;
  /** Label index per time (the figure's `times`). */
  labels: readonly number[];
}

/**
 * Rows of coloured labels over time, the first row on top: one square
 * marker per time, coloured by its label, one legend entry per class.
 *
 * @param rows The rows, top first.
 * @param times The times in seconds, one per label of each row.
 * @param classes Class names in label order.
 * @param options `title`. @default "Labels over time"
 * @returns The figure (one marker trace per row and class).
 * @example
 * ```ts
 * const figure = labelRowsFigure([{ name: "raw", labels: [0, 1] }, { name: "smoothed", labels: [0, 0] }], [0, 0.1], ["happy", "sad"]);
 * console.assert(figure.data.length === 4);
 * ```
 */
export function labelRowsFigure(
  rows: readonly LabelRow[],
  times: readonly number[],
  classes: readonly string[],
  options: { title?: string } = {},
): Figure {
  const data: Record<string, unknown>[] = [];
  rows.forEach((row, r) => {
    classes.forEach((label, c) => {
      const at = row.labels.map((value, i) => (value === c ? i : -1)).filter((i) => i >= 0);
      data.push({
        type: "scatter",
        mode: "markers",
        name: label,
        legendgroup: label,
        showlegend: r === 0,
        x: at.map((i) => times[i]),
        y: at.map(() => row.name),
        marker: { symbol: "square", size: 12, color: COLORS[c % COLORS.length] },
      });
    });
  });
  return {
    data,
    layout: {
      title: { text: options.title ?? "Labels over time" },
      xaxis: { title: { text: "time (s)" } },
      yaxis: { type: "category", categoryorder: "array", categoryarray: rows.map((row) => row.name).reverse(), automargin: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 80, l: 20 },
      height: 320,
    },
  };
}
