import { describe, expect, it } from "vitest";
import type { FrameRow } from "../../src/video/frame_row.ts";
import { framesCsv } from "../../src/video/frame_row.ts";
import { smoothersFigure } from "../../src/video/smoothers_figure.ts";
import { videoTimelineFigure } from "../../src/video/timeline_figure.ts";

const box = { x: 1, y: 2, width: 3, height: 4, score: 0.9 };
const row = (frame: number, track: number | null, smoothed: number): FrameRow => ({
  frame,
  timeS: frame / 10,
  track,
  box: track === null ? null : box,
  probabilities: track === null ? null : smoothed === 0 ? [0.8, 0.2] : [0.3, 0.7],
  label: track === null ? null : smoothed,
  smoothedLabel: track === null ? null : smoothed,
});
// Track 1 for frames 0-5 (label 0, then 1 from frame 3), a frame with no face, track 2 for two frames.
const rows = [row(0, 1, 0), row(1, 1, 0), row(2, 1, 0), row(3, 1, 1), row(4, 1, 1), row(5, 1, 1), row(6, null, 0), row(7, 2, 0), row(8, 2, 0)];

describe("videoTimelineFigure", () => {
  it("draws one line per class and track and one band piece per run of a smoothed label", () => {
    const figure = videoTimelineFigure(rows, ["happy", "sad"]);
    expect(figure.data.length).toBe(4);
    expect(figure.data[0].name).toBe("happy (track 1)");
    const shapes = figure.layout.shapes as { x0: number; x1: number }[];
    expect(shapes.length).toBe(3);
    expect(shapes[0]).toMatchObject({ x0: 0, x1: 0.3 });
    expect((figure.layout.annotations as { text: string }[]).map((a) => a.text)).toEqual(["happy", "sad", "happy"]);
  });
});

describe("smoothersFigure", () => {
  it("compares the four smoothers on the longest track, naming each one's flicker", () => {
    const figure = smoothersFigure(rows, ["happy", "sad"], { fps: 10 });
    expect(figure.layout.title).toEqual({ text: "Smoothers compared (track 1)" });
    const names = (figure.layout.yaxis as { categoryarray: string[] }).categoryarray;
    expect(names.length).toBe(4);
    expect(names[3]).toBe("none: 100 switches/min, 100% raw");
  });
});

describe("framesCsv", () => {
  it("writes a face row with its box and probabilities and an empty row for no face", () => {
    const lines = framesCsv([rows[3], rows[6]], ["happy", "sad"]).trim().split("\n");
    expect(lines).toEqual([
      "frame,time_s,track,x,y,w,h,happy,sad,label,smoothed_label",
      "3,0.300,1,1.0,2.0,3.0,4.0,0.3000,0.7000,sad,sad",
      "6,0.600,,,,,,,,,",
    ]);
  });
});
