import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import type { EmotionClassifier } from "../../src/video/classify_faces.ts";
import { loadEmotionClassifier } from "../../src/video/emotion_classifier.ts";
import { type FaceDetector, loadFaceDetector } from "../../src/video/load_face_detector.ts";
import { runVideo, type VideoSummary } from "../../src/video/run_video.ts";
import { decodeVideo, probeVideo } from "../../src/video/decode_video.ts";
import { frameStrip } from "../../src/video/frame_strip.ts";
import sharp from "sharp";
import { HAS_FFMPEG, makeClip, tinyRun, VIDEO_DATA } from "./_fixtures.ts";

let classifier: EmotionClassifier;
let detector: FaceDetector;
let resultsRoot = "";
let runId = "";
beforeAll(async () => {
  await selectBackend("wasm");
  ({ resultsRoot, runId } = await tinyRun());
  classifier = await loadEmotionClassifier(resultsRoot, runId);
  detector = await loadFaceDetector();
});
afterAll(() => {
  classifier.model.dispose();
  tf.dispose(detector.weights);
});

describe("loadEmotionClassifier", () => {
  it("names a run that does not exist", async () => {
    await expect(loadEmotionClassifier(resultsRoot, "20990101-000000-nothing-000000")).rejects.toThrow(ConfigError);
  });
});

describe.runIf(HAS_FFMPEG)("runVideo on synthetic clips", () => {
  it("writes a row per frame with no face, a summary that says so, and every file", async () => {
    const clip = await makeClip("color=c=0x808080:size=96x64:rate=10:duration=1");
    const { dir, summary } = await runVideo(clip, { classifier, detector, resultsRoot, imagePlots: false, detect: { inputSize: 64 } });
    expect((await readdir(dir)).sort()).toEqual(["frames.csv", "summary.json", "timeline.html"]);
    expect(summary).toMatchObject({ status: "completed", frames: 10, facesFound: 0, tracks: [] });
    expect(summary.note).toContain("No face was found in any of the 10 frames");
    const lines = (await readFile(join(dir, "frames.csv"), "utf8")).trim().split("\n");
    expect(lines[0]).toBe("frame,time_s,track,x,y,w,h,happy,sad,surprise,neutral,label,smoothed_label");
    expect(lines.length).toBe(11);
    expect(lines[5]).toBe("4,0.400,,,,,,,,,,,");
    const saved: VideoSummary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8"));
    expect(saved.status).toBe("completed");
    expect(saved.speed.pipelineFps).toBeGreaterThan(0);
  });

  it("finishes an interrupted run as a consistent folder marked interrupted", async () => {
    const clip = await makeClip("color=c=0x406080:size=64x48:rate=10:duration=6");
    const controller = new AbortController();
    const { dir, summary } = await runVideo(clip, {
      classifier,
      detector,
      resultsRoot,
      imagePlots: false,
      detect: { inputSize: 64 },
      signal: controller.signal,
      log: () => controller.abort(),
    });
    expect(summary.status).toBe("interrupted");
    expect(summary.frames).toBe(30); // the log line at frame 30 aborts; the clip has 60
    const lines = (await readFile(join(dir, "frames.csv"), "utf8")).trim().split("\n");
    expect(lines.length).toBe(summary.frames + 1);
  });

  it("with annotate writes an MP4 of the same size and frame count, and a frame strip", async () => {
    const clip = await makeClip("color=c=0x808080:size=96x64:rate=10:duration=1");
    const { dir, rows, summary } = await runVideo(clip, { classifier, detector, resultsRoot, imagePlots: false, annotate: true, detect: { inputSize: 64 } });
    const annotated = await probeVideo(join(dir, "annotated.mp4"));
    expect(annotated).toMatchObject({ width: 96, height: 64 });
    let frames = 0;
    for await (const _ of decodeVideo(join(dir, "annotated.mp4"), annotated)) frames++;
    expect(frames).toBe(10);
    const strip = await sharp(await frameStrip(clip, rows, classifier.classes, { count: 3, height: 32, fps: summary.analysedFps })).metadata();
    expect(strip.width).toBe(3 * (48 + 4));
    expect(strip.height).toBe(32 + 22);
  });

  it("refuses an --out folder that is not empty, before decoding", async () => {
    const clip = await makeClip("color=c=black:size=32x32:rate=5:duration=1");
    const { dir } = await runVideo(clip, { classifier, detector, resultsRoot, imagePlots: false, detect: { inputSize: 64 } });
    await expect(runVideo(clip, { classifier, detector, resultsRoot, out: dir, imagePlots: false })).rejects.toThrow("is not empty");
  });
});

describe.runIf(VIDEO_DATA && HAS_FFMPEG)("runVideo on the real clips", () => {
  it("finds the face on most frames of single_face.mp4 in one track", async () => {
    const { summary, rows } = await runVideo(join(VIDEO_DATA, "single_face.mp4"), { classifier, detector, resultsRoot, imagePlots: false, fps: 5 });
    expect(summary.frames).toBe(12);
    expect(summary.framesWithFace).toBeGreaterThanOrEqual(10);
    expect(summary.tracks.length).toBe(1);
    expect(rows.every((row) => row.track === null || row.track === summary.tracks[0].id)).toBe(true);
  });

  it("finds no face in no_face.mp4 and says so", async () => {
    const { summary } = await runVideo(join(VIDEO_DATA, "no_face.mp4"), { classifier, detector, resultsRoot, imagePlots: false, fps: 3 });
    expect(summary.facesFound).toBe(0);
    expect(summary.note).toContain("No face was found");
  });

  it("ends the face track of face_noface.mov when the cartoon begins", async () => {
    const { summary } = await runVideo(join(VIDEO_DATA, "face_noface.mov"), { classifier, detector, resultsRoot, imagePlots: false, fps: 4 });
    expect(summary.tracks.length).toBeGreaterThanOrEqual(1);
    const main = summary.tracks.reduce((a, b) => (b.frames > a.frames ? b : a));
    expect(main.firstS).toBeLessThan(0.6);
    expect(main.lastS).toBeGreaterThan(1.5);
    expect(main.lastS).toBeLessThan(3.2);
  });

  it("at the clip's own rate runs the detector on few frames, keeps the one track and the labels of detecting on every frame", async () => {
    const clip = join(VIDEO_DATA, "single_face.mp4");
    const every = await runVideo(clip, { classifier, detector, resultsRoot, imagePlots: false, redetect: { every: 1 }, classifyBatch: 1 });
    const kept = await runVideo(clip, { classifier, detector, resultsRoot, imagePlots: false });
    expect(kept.summary.detector.redetect.every).toBe(6); // 0.2 s at 30 fps
    expect(kept.summary.framesDetected).toBeLessThan(kept.summary.frames / 2);
    expect(kept.summary.framesDetected).toBe(Object.values(kept.summary.detections).reduce((a, b) => a + b, 0));
    expect(every.summary.framesDetected).toBe(72);
    expect(kept.summary.tracks.length).toBe(1);
    expect(kept.summary.framesWithFace).toBe(every.summary.framesWithFace);
    const before = new Map(every.rows.map((row) => [row.frame, row]));
    let same = 0;
    for (const row of kept.rows) if (row.label === before.get(row.frame)?.label) same++;
    expect(same / kept.rows.length).toBeGreaterThan(0.85);
  });

  it("re-detects at the cut of face_noface.mov, so the face track ends there at 30 fps", async () => {
    const { summary } = await runVideo(join(VIDEO_DATA, "face_noface.mov"), { classifier, detector, resultsRoot, imagePlots: false });
    expect(summary.detections.scene).toBeGreaterThanOrEqual(1);
    const main = summary.tracks.reduce((a, b) => (b.frames > a.frames ? b : a));
    expect(main.lastS).toBeGreaterThan(2);
    expect(main.lastS).toBeLessThan(2.5);
  });
});
