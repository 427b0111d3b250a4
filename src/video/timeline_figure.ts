/**
 * The emotion timeline of a video run: its frames.csv rows handed to viz's
 * `timelineFigure` as one series per face track.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import { timelineFigure, type TimelineTrack } from "../viz/timeline_figure.ts";
import type { FrameRow } from "./frame_row.ts";

/**
 * The timeline of a video run straight from its frames.csv rows: one series
 * per track, in track order (frames without a face are left out).
 *
 * @param rows The run's rows.
 * @param classes Class names.
 * @param options As for viz's `timelineFigure`: `title` and `durationS`.
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
