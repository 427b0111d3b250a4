import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { flickerStats, parseSmoother, smoothLabels } from "../../src/video/smooth_labels.ts";

// A face that is label 0 for 10 frames with one-frame blips to 1, then clearly 1.
const blips = [
  ...Array.from({ length: 10 }, (_, i) => (i % 3 === 1 ? [0.45, 0.55] : [0.8, 0.2])),
  ...Array.from({ length: 10 }, () => [0.1, 0.9]),
];

describe("smoothLabels", () => {
  it("none is the per-frame arg-max", () => {
    expect(smoothLabels([[0.2, 0.8], [0.9, 0.1]], "none")).toEqual([1, 0]);
  });

  it("hmm removes one-frame blips but follows a lasting change", () => {
    const labels = smoothLabels(blips, "hmm", { switchPenalty: 4 });
    expect(labels.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(labels.slice(11)).toEqual(new Array(9).fill(1));
  });

  it("hmm with a zero penalty equals the raw labels", () => {
    expect(smoothLabels(blips, "hmm", { switchPenalty: 0 })).toEqual(smoothLabels(blips, "none"));
  });

  it("majority votes in a centred window", () => {
    const labels = smoothLabels(blips, "majority", { fps: 10, windowS: 0.5 });
    expect(labels.slice(0, 8)).toEqual(new Array(8).fill(0));
    expect(labels.at(-1)).toBe(1);
  });

  it("ema lags a change by its half-life and ignores a blip", () => {
    const labels = smoothLabels(blips, "ema", { fps: 10, halfLifeS: 0.2 });
    expect(labels.slice(0, 10)).toEqual(new Array(10).fill(0));
    expect(labels[10]).toBe(0);
    expect(labels.at(-1)).toBe(1);
  });

  it("gives nothing for no frames", () => {
    expect(smoothLabels([], "hmm")).toEqual([]);
  });

  it("rejects an unknown smoother naming the known ones", () => {
    expect(() => parseSmoother("kalman")).toThrow(ConfigError);
    expect(() => parseSmoother("kalman")).toThrow('Unknown smoother "kalman"; known: none, ema, majority, hmm');
  });
});

describe("flickerStats", () => {
  it("counts switches per minute and agreement with the reference", () => {
    const raw = smoothLabels(blips, "none");
    const smooth = smoothLabels(blips, "hmm");
    const before = flickerStats(raw, { fps: 10, reference: raw });
    const after = flickerStats(smooth, { fps: 10, reference: raw });
    expect(before.switches).toBe(7);
    expect(before.switchesPerMinute).toBeCloseTo(7 / (20 / 10 / 60));
    expect(after.switches).toBe(1);
    expect(after.agreement).toBeCloseTo(17 / 20);
  });
});
