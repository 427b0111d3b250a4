import { describe, expect, it } from "vitest";
import type * as tf from "@tensorflow/tfjs";
import { cropFacesFromRgb } from "../../src/video/crop_faces_from_rgb.ts";
import { frameFaceFinder } from "../../src/video/frame_faces.ts";
import { redetectRule } from "../../src/video/redetect_rule.ts";
import type { FaceBox } from "../../src/video/tiny_face_detector.ts";

const WIDTH = 96;
const HEIGHT = 64;
/** A gray frame with a bright square (the "face") whose left edge is at `x`. */
function frame(x: number, background = 40) {
  const rgb = new Uint8Array(WIDTH * HEIGHT * 3).fill(background);
  for (let y = 16; y < 48; y++) for (let c = x; c < x + 32; c++) rgb.fill(220, (y * WIDTH + c) * 3, (y * WIDTH + c) * 3 + 3);
  return { rgb, width: WIDTH, height: HEIGHT };
}

/** A stand-in detector that reports the square where the frame tensor has it, and counts its calls. */
function fakeDetector() {
  const calls: number[] = [];
  const detect = async (image: tf.Tensor3D): Promise<FaceBox[]> => {
    const pixels = await image.data();
    calls.push(image.shape[1]);
    let left = -1;
    for (let c = 0; c < WIDTH && left < 0; c++) if (pixels[(32 * WIDTH + c) * 3] === 220) left = c;
    return left < 0 ? [] : [{ x: left, y: 16, width: 32, height: 32, score: 0.9 }];
  };
  return { detect, calls };
}

describe("frameFaceFinder", () => {
  it("runs the detector when the rule asks, keeps the boxes in between, and cuts the crops from the frame's bytes", async () => {
    const { detect, calls } = fakeDetector();
    const finder = frameFaceFinder(redetectRule({ every: 3 }), detect, 24);
    const reasons = [];
    for (let i = 0; i < 5; i++) {
      const found = await finder.next(i, frame(20));
      reasons.push(found.reason);
      expect(found.boxes).toEqual([{ x: 20, y: 16, width: 32, height: 32, score: 0.9 }]);
      expect(found.crops).toEqual(cropFacesFromRgb(frame(20).rgb, WIDTH, HEIGHT, found.boxes, { size: 24 }));
      expect(found.detectMs === 0).toBe(found.reason === null);
    }
    expect(reasons).toEqual(["first", null, null, "interval", null]);
    expect(calls.length).toBe(2);
  });

  it("detects again at once when the face moves inside its kept box", async () => {
    const { detect, calls } = fakeDetector();
    // frameChange at its maximum: only the face rule can fire.
    const finder = frameFaceFinder(redetectRule({ every: 100, frameChange: 255 }), detect, 24);
    await finder.next(0, frame(20));
    const moved = await finder.next(1, frame(44));
    expect(moved.reason).toBe("face");
    expect(moved.boxes[0].x).toBe(44);
    expect(calls.length).toBe(2);
  });

  it("returns no boxes and no crops for a frame without a face", async () => {
    const { detect } = fakeDetector();
    const finder = frameFaceFinder(redetectRule(), detect, 24);
    const empty = await finder.next(0, { rgb: new Uint8Array(WIDTH * HEIGHT * 3).fill(40), width: WIDTH, height: HEIGHT });
    expect(empty).toMatchObject({ boxes: [], crops: [], reason: "first" });
  });
});
