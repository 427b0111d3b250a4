/**
 * The emotion timeline of a video: class probabilities over time for each
 * face track, with the smoothed label drawn as a coloured band above them.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import type { FrameRow } from "./frame_row.ts";

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

/**
 * The timeline of a video run straight from its frames.csv rows: one series
 * per track, in track order (frames without a face are left out).
 *
 * @param rows The run's rows.
 * @param classes Class names.
 * @param options As for {@linkcode timelineFigure}.
 * @returns The figure.
 * @example
 * ```ts
 * const { rows, summary } = await runVideo("clip.mp4", options);
 * const figure = videoTimelineFigure(rows, summary.model.classes);
 * ```
 */
export function videoTimelineFigure(
  rows: readonly FrameRow[],
  classes: readonly string[],
  options: { title?: string; durationS?: number } = {},
): Figure {
  const ids = [...new Set(rows.map((row) => row.track).filter((id): id is number => id !== null))].sort((a, b) => a - b);
  const tracks = ids.map((id): TimelineTrack => {
    const own = rows.filter((row) => row.track === id);
    return {
      id,
      times: own.map((row) => row.timeS),
      probabilities: own.map((row) => row.probabilities ?? classes.map(() => 0)),
      smoothed: own.map((row) => row.smoothedLabel ?? row.label ?? 0),
    };
  });
  return timelineFigure(tracks, classes, options);
}
