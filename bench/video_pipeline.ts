/**
 * Speed of the video pipeline, and the detector input size it uses by default.
 *
 * Part 1 (first backend only): the face detector at input sizes 128, 160,
 * 224, 320 and 416: milliseconds per 640x360 frame, recall on the real clips
 * (frames of single_face.mp4 with a face found, all 72 show one face; frames
 * of the first 2.4 s of face_noface.mov), false alarms (frames of
 * no_face.mp4 with any box), and the median box width on single_face.mp4
 * (loose boxes at small sizes make loose crops).
 *
 * Part 2, per backend: `runVideo` on single_face.mp4 (640x360, 72 frames)
 * with a run's model: decode, detect, classify and smooth milliseconds per
 * frame and end-to-end frames per second. The last line is
 * `video fps: tensorflow=<x> wasm=<y>`. Targets on the 2-core machine:
 * 30 fps with tensorflow, 15 with wasm (one face).
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
import { decodeVideo, probeVideo } from "../src/video/decode_video.ts";
import { loadEmotionClassifier } from "../src/video/emotion_classifier.ts";
import { latestModelRun } from "../src/video/latest_model_run.ts";
import { loadFaceDetector } from "../src/video/load_face_detector.ts";
import { runVideo } from "../src/video/run_video.ts";
import { detectFaces } from "../src/video/tiny_face_detector.ts";

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
const modelId = option("model") ?? await latestModelRun(resultsRoot);

async function framesOf(file: string, seconds = Infinity): Promise<tf.Tensor3D[]> {
  const path = join(clips, file);
  const info = await probeVideo(path);
  const frames: tf.Tensor3D[] = [];
  for await (const frame of decodeVideo(path, info)) {
    if (frame.timeS >= seconds) break;
    frames.push(tf.tidy(() => tf.cast(tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], "int32"), "float32")));
  }
  return frames;
}

const figures: Record<string, number> = {};
for (const [b, backend] of backends.entries()) {
  const info = await selectBackend(backend, { log: (line) => console.log(line) });
  const detector = await loadFaceDetector(resolve(here, ".."));
  if (b === 0) {
    const sets = {
      single: await framesOf("single_face.mp4"),
      faceFirst: await framesOf("face_noface.mov", 2.4),
      none: await framesOf("no_face.mp4"),
    };
    console.log(
      `detector (${info.name}): input size, ms per 640x360 frame, recall single_face.mp4, recall face_noface.mov 0-2.4 s, ` +
        "false-alarm frames no_face.mp4, median box width single_face.mp4 (px)",
    );
    for (const inputSize of [128, 160, 224, 320, 416]) {
      const widths: number[] = [];
      const found = async (frames: tf.Tensor3D[]) => {
        let hits = 0;
        for (const frame of frames) {
          const faces = await detectFaces(detector.weights, frame, { inputSize });
          if (faces.length > 0) hits++;
          if (frames === sets.single && faces.length > 0) widths.push(faces[0].width);
        }
        return hits;
      };
      await found(sets.faceFirst.slice(0, 3)); // warm-up
      const started = performance.now();
      const single = await found(sets.single);
      const ms = (performance.now() - started) / sets.single.length;
      const first = await found(sets.faceFirst);
      const alarms = await found(sets.none);
      console.log(
        `  ${String(inputSize).padStart(3)}  ${ms.toFixed(1).padStart(6)} ms  ${single}/${sets.single.length}  ${first}/${sets.faceFirst.length}  ${alarms}/${sets.none.length}` +
          `  ${(widths.sort((a, b) => a - b)[Math.floor(widths.length / 2)] ?? 0).toFixed(0)}`,
      );
    }
    tf.dispose(Object.values(sets).flat());
  }
  const classifier = await loadEmotionClassifier(resultsRoot, modelId);
  const out = await mkdtemp(join(tmpdir(), "fer-bench-video-"));
  try {
    const options = { classifier, detector, resultsRoot: out, imagePlots: false, backend: info.name };
    await runVideo(join(clips, "single_face.mp4"), { ...options, out: join(out, "warm") }); // compile kernels
    const { summary } = await runVideo(join(clips, "single_face.mp4"), { ...options, out: join(out, "timed") });
    const m = summary.msPerFrame;
    console.log(
      `${info.name}: single_face.mp4 ${summary.frames} frames, ms per frame: decode ${m.decode.toFixed(1)}, detect ${m.detect.toFixed(1)} ` +
        `(input ${summary.detector.inputSize}), classify ${m.classify.toFixed(1)}, smooth ${m.smooth.toFixed(3)}, total ${m.total.toFixed(1)} ` +
        `-> ${summary.speed.pipelineFps.toFixed(1)} fps (target ${TARGETS[info.name] ?? "-"})`,
    );
    figures[info.name] = summary.speed.pipelineFps;
  } finally {
    classifier.model.dispose();
    tf.dispose(detector.weights);
    await rm(out, { recursive: true, force: true });
  }
}
console.log(`model ${modelId}; machine load average ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}`);
console.log(`video fps: ${Object.entries(figures).map(([name, fps]) => `${name}=${fps.toFixed(1)}`).join(" ")}`);
