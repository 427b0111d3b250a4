/**
 * summary.json as tables (`{ caption, headers, cells }`, the shape the
 * notebooks' displayTable takes): the tracks, and the smoothers' flicker.
 *
 * @module
 */
import type { VideoSummary } from "./run_video.ts";

/** A plain table: caption, column headers, one row of cells per line. */
export interface SummaryTable {
  caption: string;
  headers: string[];
  cells: (string | number)[][];
}

/**
 * One row per face track: time span, frames, share of time per emotion, transitions, mean confidence.
 *
 * @param summary A video run's summary.
 * @returns The table (its caption is the summary's note when no face was found).
 * @example
 * ```ts
 * const table = trackTable(summary);
 * console.assert(table.cells.length === summary.tracks.length);
 * ```
 */
export function trackTable(summary: VideoSummary): SummaryTable {
  return {
    caption: summary.note ?? `Face tracks in ${summary.video.path}`,
    headers: ["track", "from (s)", "to (s)", "frames", "share of time", "transitions", "mean confidence"],
    cells: summary.tracks.map((track) => [
      track.id,
      track.firstS.toFixed(2),
      track.lastS.toFixed(2),
      track.frames,
      Object.entries(track.shareOfTime).filter(([, share]) => share > 0).map(([name, share]) => `${name} ${(share * 100).toFixed(0)}%`).join(", "),
      track.transitions.map((change) => `${change.from} -> ${change.to} at ${change.timeS.toFixed(2)} s`).join("; ") || "none",
      track.meanConfidence.toFixed(2),
    ]),
  };
}

/**
 * One row per smoother: label switches, switches per minute and agreement with the raw labels.
 *
 * @param summary A video run's summary.
 * @returns The table.
 * @example
 * ```ts
 * console.assert(smootherTable(summary).cells.length === 4);
 * ```
 */
export function smootherTable(summary: VideoSummary): SummaryTable {
  return {
    caption: `Flicker of each smoother over all tracks (the run used ${summary.smoother})`,
    headers: ["smoother", "switches", "switches per minute", "agreement with raw labels"],
    cells: Object.entries(summary.smoothers).map(([name, stats]) => [name, stats.switches, stats.switchesPerMinute.toFixed(1), stats.agreement.toFixed(3)]),
  };
}
