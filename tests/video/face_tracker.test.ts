import { describe, expect, it } from "vitest";
import { faceTracker } from "../../src/video/face_tracker.ts";

const box = (x: number, y = 0) => ({ x, y, width: 100, height: 100, score: 0.9 });

describe("faceTracker", () => {
  it("keeps one id for a face that moves a little each frame", () => {
    const tracker = faceTracker();
    const ids = [0, 5, 10, 15].map((x) => tracker.update([box(x)])[0]);
    expect(new Set(ids).size).toBe(1);
  });

  it("gives two faces two ids and keeps them when the order changes", () => {
    const tracker = faceTracker();
    const [left, right] = tracker.update([box(0), box(300)]);
    expect(left).not.toBe(right);
    expect(tracker.update([box(305), box(3)])).toEqual([right, left]);
  });

  it("keeps the id of a face that returns within the gap", () => {
    const tracker = faceTracker({ maxMissedFrames: 3 });
    const id = tracker.update([box(0)])[0];
    tracker.update([]);
    tracker.update([]);
    tracker.update([]);
    expect(tracker.update([box(2)])[0]).toBe(id);
  });

  it("gives a new id to a face that returns after the gap", () => {
    const tracker = faceTracker({ maxMissedFrames: 2 });
    const id = tracker.update([box(0)])[0];
    tracker.update([]);
    tracker.update([]);
    tracker.update([]);
    expect(tracker.update([box(0)])[0]).not.toBe(id);
  });

  it("starts a new track for a face far from every track", () => {
    const tracker = faceTracker();
    const id = tracker.update([box(0)])[0];
    expect(tracker.update([box(500)])[0]).not.toBe(id);
  });
});
