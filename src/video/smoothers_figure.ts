/**
 * The four smoothers side by side on one track: each smoother's labels over
 * time, named with its flicker (label switches per minute) and its agreement
 * with the raw per-frame labels, handed to viz's `labelRowsFigure`.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import { labelRowsFigure } from "../viz/timeline_figure.ts";
import type { FrameRow } from "./frame_row.ts";
import { flickerStats, SMOOTHERS, smoothLabels, type SmoothOptions } from "./smooth_labels.ts";

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
  const smoothed = SMOOTHERS.map((smoother) => {
    const labels = smoothLabels(probabilities, smoother, options);
    const stats = flickerStats(labels, { fps: options.fps, reference: raw });
    return { name: `${smoother}: ${stats.switchesPerMinute.toFixed(0)} switches/min, ${(stats.agreement * 100).toFixed(0)}% raw`, labels };
  });
  return labelRowsFigure(smoothed, times, classes, { title: `Smoothers compared (track ${track})` });
}
