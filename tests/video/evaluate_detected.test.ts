import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { selectBackend } from "../../src/backend/select_backend.ts";
import type { EmotionClassifier } from "../../src/video/classify_faces.ts";
import { loadEmotionClassifier } from "../../src/video/emotion_classifier.ts";
import { evaluateDetected } from "../../src/video/evaluate_detected.ts";
import { type FaceDetector, loadFaceDetector } from "../../src/video/load_face_detector.ts";
import { tinyRun } from "./_fixtures.ts";

let classifier: EmotionClassifier;
let detector: FaceDetector;
let root = "";
beforeAll(async () => {
  await selectBackend("wasm");
  const { resultsRoot, runId } = await tinyRun();
  classifier = await loadEmotionClassifier(resultsRoot, runId);
  detector = await loadFaceDetector();
  // Three faceless photos a class: each is classified whole.
  root = await mkdtemp(join(tmpdir(), "fer-detected-"));
  for (const [c, name] of classifier.classes.entries()) {
    await mkdir(join(root, "test", name), { recursive: true });
    for (let i = 0; i < 3; i++) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 50 * c, g: 20 * i, b: 120 } } }).png().toFile(join(root, "test", name, `${i}.png`));
    }
  }
});
afterAll(() => {
  classifier.model.dispose();
  tf.dispose(detector.weights);
});

describe("evaluateDetected", () => {
  it("tells its progress after every photo and stops after the photo it is in when its signal is aborted", async () => {
    const total = classifier.classes.length * 3;
    const seen: [number, number][] = [];
    const whole = await evaluateDetected(classifier, root, { detector: detector.weights, progress: () => (done, of) => seen.push([done, of]) });
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => [i + 1, total]));
    expect(whole.splits.test.images).toBe(total);

    const controller = new AbortController();
    const stoppedAt: number[] = [];
    const work = evaluateDetected(classifier, root, {
      detector: detector.weights,
      signal: controller.signal,
      progress: () => (done) => {
        stoppedAt.push(done);
        if (done === 2) controller.abort(new Error("stop asked"));
      },
    });
    await expect(work).rejects.toThrow("stop asked");
    expect(stoppedAt).toEqual([1, 2]);
  });
});
