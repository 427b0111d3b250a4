/**
 * The four smoothers side by side on one track: one row of coloured labels
 * per smoother over time, each row named with its flicker (label switches
 * per minute) and its agreement with the raw per-frame labels.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import type { FrameRow } from "./frame_row.ts";
import { flickerStats, SMOOTHERS, smoothLabels, type SmoothOptions } from "./smooth_labels.ts";

const COLORS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

/**
 * Builds the comparison figure for one track of a video run.
 *
 * @param rows The run's frames.csv rows.
 * @param classes Class names.
 * @param options The frame rate, the smoothers' parameters, and `track` (default: the track with most frames).
 * @returns The figure (one marker trace per smoother and class).
 * @example
 * ```ts
 * const box = { x: 0, y: 0, width: 1, height: 1, score: 1 };
 * const rows = [[0.9, 0.1], [0.2, 0.8]].map((p, i) => ({ frame: i, timeS: i / 10, track: 1, box, probabilities: p, label: 0, smoothedLabel: 0 }));
 * const figure = smoothersFigure(rows, ["happy", "sad"], { fps: 10 });
 * console.assert((figure.layout.yaxis as { categoryarray: string[] }).categoryarray.length === 4);
 * ```
 */
export function smoothersFigure(
  rows: readonly FrameRow[],
  classes: readonly string[],
  options: SmoothOptions & { fps: number; track?: number },
): Figure {
  const counts = new Map<number, number>();
  for (const row of rows) if (row.track !== null) counts.set(row.track, (counts.get(row.track) ?? 0) + 1);
  const track = options.track ?? [...counts.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best), [0, 0])[0];
  const own = rows.filter((row) => row.track === track && row.probabilities);
  const times = own.map((row) => row.timeS);
  const probabilities = own.map((row) => row.probabilities as number[]);
  const raw = smoothLabels(probabilities, "none", options);
  const data: Record<string, unknown>[] = [];
  const names: string[] = [];
  for (const smoother of SMOOTHERS) {
    const labels = smoothLabels(probabilities, smoother, options);
    const stats = flickerStats(labels, { fps: options.fps, reference: raw });
    const name = `${smoother}: ${stats.switchesPerMinute.toFixed(0)} switches/min, ${(stats.agreement * 100).toFixed(0)}% raw`;
    names.push(name);
    classes.forEach((label, c) => {
      const at = labels.map((value, i) => (value === c ? i : -1)).filter((i) => i >= 0);
      data.push({
        type: "scatter",
        mode: "markers",
        name: label,
        legendgroup: label,
        showlegend: smoother === SMOOTHERS[0],
        x: at.map((i) => times[i]),
        y: at.map(() => name),
        marker: { symbol: "square", size: 12, color: COLORS[c % COLORS.length] },
      });
    });
  }
  return {
    data,
    layout: {
      title: { text: `Smoothers compared (track ${track})` },
      xaxis: { title: { text: "time (s)" } },
      yaxis: { type: "category", categoryorder: "array", categoryarray: [...names].reverse(), automargin: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 80, l: 20 },
      height: 320,
    },
  };
}
