/**
 * Speed of the video pipeline per stage, old settings against new, measured
 * in the same run (bench/video_detectors.ts compares the detectors).
 *
 * Per backend, on single_face.mp4 (640x360, 30 fps, 72 frames, one face) with
 * a run's model, three pipelines after one warm-up run:
 *
 * - `old code`: the loop `runVideo` had before the speed work, rebuilt here
 *   from the same modules: a float tensor of every frame, the detector at input
 *   320 on every frame, crops cut by tfjs, the classifier called per frame,
 *   ffmpeg not read ahead.
 * - `old settings`: today's `runVideo` with the detector on every frame
 *   (`redetect.every` 1), one frame's faces per classifier call, no read-ahead.
 * - `new`: today's `runVideo` with its defaults: the detector every 0.2 s or on
 *   a scene or face change (redetect_rule.ts), faces kept in between; crops cut
 *   from the frame's bytes; 32 faces per classifier call; 4 frames read ahead.
 *
 * Each prints milliseconds per frame for decode (waiting for ffmpeg), detect,
 * crop, classify, smooth and write (frames.csv and timeline.html; the old code
 * wrote nothing), and frames per second; then the ratio new / old code, and
 * how far the new pipeline's output agrees with the old settings' (raw labels
 * per frame, box IoU). The last line is `video fps: tensorflow=<x> wasm=<y>`
 * (new). Targets on the 2-core machine: 30 fps with tensorflow, 15 with wasm.
 *
 * The machine is shared with a training run: absolute figures are lower
 * bounds and vary from run to run; the ratios within one run are what count.
 *
 * Usage: `npx deno run -A bench/video_pipeline.ts [--model RUN-ID] [--backends tensorflow,wasm] [--clips DIR]`
 * (model: the newest run with a saved model; clips: ../shared/data/video).
 *
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/backend/select_backend.ts";
import { classifyFaces, type EmotionClassifier } from "../src/video/classify_faces.ts";
import { decodeVideo, probeVideo } from "../src/video/decode_video.ts";
import { loadEmotionClassifier } from "../src/video/emotion_classifier.ts";
import { cropFaces } from "../src/video/face_crop.ts";
import { faceTracker } from "../src/video/face_tracker.ts";
import type { FrameRow } from "../src/video/frame_row.ts";
import { latestModelRun } from "../src/video/latest_model_run.ts";
import { type FaceDetector, loadFaceDetector } from "../src/video/load_face_detector.ts";
import { runVideo, type RunVideoOptions } from "../src/video/run_video.ts";
import { DEFAULT_SMOOTHER, smoothLabels } from "../src/video/smooth_labels.ts";
import { boxIou, detectFaces } from "../src/video/tiny_face_detector.ts";

const TARGETS: Record<string, number> = { tensorflow: 30, wasm: 15 };
const args = [...Deno.args];
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const here = dirname(fileURLToPath(import.meta.url));
const clips = option("clips") ?? resolve(here, "../../shared/data/video");
const backends = (option("backends") ?? "tensorflow,wasm").split(",");
const resultsRoot = resolve(here, "../results");
const modelId = option("model") ?? (await latestModelRun(resultsRoot)).id;
const clip = join(clips, "single_face.mp4");

interface Stages {
  decode: number;
  detect: number;
  crop: number;
  classify: number;
  smooth: number;
  write: number;
  total: number;
}

/** The pipeline's loop as it was before the speed work (commit 2666538), timed the same way. */
async function oldCode(classifier: EmotionClassifier, detector: FaceDetector): Promise<{ ms: Stages; frames: number; rows: FrameRow[] }> {
  const info = await probeVideo(clip);
  const tracker = faceTracker({ maxMissedFrames: Math.round(info.fps / 2) });
  const ms: Stages = { decode: 0, detect: 0, crop: 0, classify: 0, smooth: 0, write: 0, total: 0 };
  const rows: FrameRow[] = [];
  let frames = 0;
  const started = performance.now();
  const decoded = decodeVideo(clip, info, { readAhead: 1 });
  while (true) {
    let mark = performance.now();
    const next = await decoded.next();
    ms.decode += performance.now() - mark;
    if (next.done) break;
    const frame = next.value;
    mark = performance.now();
    const image = tf.tidy(() => tf.cast(tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], "int32"), "float32"));
    const faces = await detectFaces(detector.weights, image, { inputSize: 320 });
    ms.detect += performance.now() - mark;
    mark = performance.now();
    const crops = await cropFaces(image, faces, { size: classifier.size });
    ms.crop += performance.now() - mark;
    mark = performance.now();
    const probabilities = await classifyFaces(classifier, crops);
    ms.classify += performance.now() - mark;
    image.dispose();
    const ids = tracker.update(faces);
    faces.forEach((box, f) =>
      rows.push({ frame: frame.index, timeS: frame.timeS, track: ids[f], box, probabilities: probabilities[f], label: argMax(probabilities[f]), smoothedLabel: null })
    );
    frames++;
  }
  const mark = performance.now();
  smoothLabels(rows.map((row) => row.probabilities as number[]), DEFAULT_SMOOTHER, { fps: info.fps });
  ms.smooth = performance.now() - mark;
  ms.total = performance.now() - started;
  for (const key of Object.keys(ms) as (keyof Stages)[]) ms[key] /= frames;
  return { ms, frames, rows };
}

function argMax(row: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

function line(label: string, ms: Stages, backend: string): string {
  const fps = 1000 / ms.total;
  return `  ${label.padEnd(12)} decode ${ms.decode.toFixed(1).padStart(5)}  detect ${ms.detect.toFixed(1).padStart(6)}  crop ${ms.crop.toFixed(2).padStart(5)}  ` +
    `classify ${ms.classify.toFixed(1).padStart(5)}  smooth ${ms.smooth.toFixed(3)}  write ${ms.write.toFixed(2).padStart(5)}  total ${ms.total.toFixed(1).padStart(6)} ms/frame` +
    `  -> ${fps.toFixed(1).padStart(5)} fps (target ${TARGETS[backend] ?? "-"})`;
}

/** Raw labels and boxes of two runs over the same frames: share of frames with the same label, mean IoU. */
function agreement(a: readonly FrameRow[], b: readonly FrameRow[]): { labels: number; iou: number; frames: number } {
  const byFrame = new Map(a.filter((row) => row.box).map((row) => [row.frame, row]));
  let same = 0;
  let iou = 0;
  let frames = 0;
  for (const row of b) {
    const other = byFrame.get(row.frame);
    if (!row.box || !other?.box) continue;
    frames++;
    if (row.label === other.label) same++;
    iou += boxIou(row.box, other.box);
  }
  return { labels: frames ? same / frames : 0, iou: frames ? iou / frames : 0, frames };
}

const figures: Record<string, { old: number; now: number }> = {};
console.log(`model ${modelId}; clip ${clip}; machine load average ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")} (2 cores shared with a training: ratios count, not absolutes)`);
for (const backend of backends) {
  const info = await selectBackend(backend, { log: (text) => console.log(text) });
  const detector = await loadFaceDetector(resolve(here, ".."));
  const classifier = await loadEmotionClassifier(resultsRoot, modelId);
  const out = await mkdtemp(join(tmpdir(), "fer-bench-video-"));
  try {
    const base: RunVideoOptions = { classifier, detector, resultsRoot: out, imagePlots: false, backend: info.name };
    const oldSettings: Partial<RunVideoOptions> = { redetect: { every: 1 }, classifyBatch: 1, readAhead: 1 };
    await runVideo(clip, { ...base, out: join(out, "warm") }); // compile kernels, upload weights
    await runVideo(clip, { ...base, ...oldSettings, out: join(out, "warm-old") });
    const before = await oldCode(classifier, detector);
    const settings = await runVideo(clip, { ...base, ...oldSettings, out: join(out, "old") });
    const now = await runVideo(clip, { ...base, out: join(out, "new") });
    const ms = (summary: typeof now.summary): Stages => summary.msPerFrame;
    console.log(`${info.name}: single_face.mp4, ${now.summary.frames} frames, detector input ${now.summary.detector.inputSize}`);
    console.log(line("old code", before.ms, info.name));
    console.log(line("old settings", ms(settings.summary), info.name));
    console.log(line("new", ms(now.summary), info.name));
    const d = now.summary.detections;
    console.log(
      `  new: detector on ${now.summary.framesDetected} of ${now.summary.frames} frames (first ${d.first}, interval ${d.interval}, scene ${d.scene}, face ${d.face}); ` +
        `${now.summary.classifyBatch} faces per classifier call`,
    );
    const ratio = (key: keyof Stages) => (now.summary.msPerFrame[key] > 0 ? before.ms[key] / now.summary.msPerFrame[key] : Infinity);
    console.log(
      `  new vs old code: ${(before.ms.total / now.summary.msPerFrame.total).toFixed(1)}x the fps; per stage, old ms / new ms: decode ${ratio("decode").toFixed(1)}, ` +
        `detect ${ratio("detect").toFixed(1)}, crop ${ratio("crop").toFixed(1)}, classify ${ratio("classify").toFixed(1)}`,
    );
    const same = agreement(settings.rows, now.rows);
    const code = agreement(before.rows, settings.rows);
    console.log(
      `  output: new vs old settings on ${same.frames} frames: raw label the same on ${(same.labels * 100).toFixed(0)}%, mean box IoU ${same.iou.toFixed(2)}; ` +
        `old settings vs old code: labels ${(code.labels * 100).toFixed(0)}%, IoU ${code.iou.toFixed(2)}`,
    );
    figures[info.name] = { old: 1000 / before.ms.total, now: now.summary.speed.pipelineFps };
  } finally {
    classifier.model.dispose();
    tf.dispose(detector.weights);
    await rm(out, { recursive: true, force: true });
  }
}
console.log(`machine load average at the end ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
console.log(`old code fps: ${Object.entries(figures).map(([name, f]) => `${name}=${f.old.toFixed(1)}`).join(" ")}`);
console.log(`video fps: ${Object.entries(figures).map(([name, f]) => `${name}=${f.now.toFixed(1)}`).join(" ")}`);
