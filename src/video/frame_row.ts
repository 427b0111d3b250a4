/**
 * A row of a video run's frames.csv (one per frame and face) and the CSV text.
 *
 * @module
 */
import type { FaceBox } from "./tiny_face_detector.ts";

/** One row of frames.csv: a face in a frame, or a frame without a face. */
export interface FrameRow {
  /** 0-based frame number. */
  frame: number;
  timeS: number;
  /** Track id, or null for a frame without a face. */
  track: number | null;
  box: FaceBox | null;
  /** Class probabilities, or null without a face. */
  probabilities: number[] | null;
  /** Raw (arg-max) label index, or null. */
  label: number | null;
  /** Smoothed label index, or null. */
  smoothedLabel: number | null;
}

/**
 * frames.csv: `frame,time_s,track,x,y,w,h,<one column per class>,label,smoothed_label`.
 *
 * @param rows The rows, in frame order.
 * @param classes Class names.
 * @returns The CSV text with a header line.
 * @example
 * ```ts
 * const csv = framesCsv([{ frame: 0, timeS: 0, track: null, box: null, probabilities: null, label: null, smoothedLabel: null }], ["happy"]);
 * console.assert(csv.split("\n")[1] === "0,0.000,,,,,,,,");
 * ```
 */
export function framesCsv(rows: readonly FrameRow[], classes: readonly string[]): string {
  const header = ["frame", "time_s", "track", "x", "y", "w", "h", ...classes, "label", "smoothed_label"].join(",");
  const lines = rows.map((row) =>
    [
      row.frame,
      row.timeS.toFixed(3),
      row.track ?? "",
      ...(row.box ? [row.box.x, row.box.y, row.box.width, row.box.height].map((v) => v.toFixed(1)) : ["", "", "", ""]),
      ...(row.probabilities ? row.probabilities.map((p) => p.toFixed(4)) : classes.map(() => "")),
      row.label === null ? "" : classes[row.label],
      row.smoothedLabel === null ? "" : classes[row.smoothedLabel],
    ].join(",")
  );
  return [header, ...lines].join("\n") + "\n";
}

