/// <reference lib="dom" />
/**
 * The live page's code, bundled for the browser by bundle_live_page.ts: the
 * webcam through getUserMedia, the same face finding (detector, re-detection
 * rule, crops), classifier preprocessing, tracker and smoother modules
 * `fer video` uses, on tfjs's WebGL backend, or its wasm backend where WebGL
 * would render in software (LiveConfig.backend). Nothing is sent anywhere:
 * the page only fetches the model files and never posts.
 *
 * Page state for tests: `document.body.dataset` has `state` ("loading",
 * "ready", "running", "error"), `faces` (faces seen so far), `rows`
 * (timeline rows), `frames` (frames analysed), `detected` (frames the
 * detector ran on), `backend` and `fps`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
// Custom layers a run's model may hold: importing registers them for loading.
import "../../models/custom_layers.ts";
import { classifyFaces, type EmotionClassifier } from "../classify_faces.ts";
import { faceTracker } from "../face_tracker.ts";
import { frameFaceFinder } from "../frame_faces.ts";
import { redetectRule } from "../redetect_rule.ts";
import { smoothLabels } from "../smooth_labels.ts";
import { detectFaces } from "../tiny_face_detector.ts";
import type { LiveConfig, LivePageBackend } from "../live_config.ts";

interface TimelineRow {
  timeS: number;
  track: number;
  box: [number, number, number, number];
  probabilities: number[];
  label: number;
  smoothed: number;
}

const COLORS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#d62728", "#9467bd", "#8c564b", "#e377c2"];
const HISTORY_S = 30;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => (byId("status").textContent = text);
const state = document.body.dataset;

async function start(): Promise<void> {
  state.state = "loading";
  state.faces = "0";
  state.rows = "0";
  const config: LiveConfig = await (await fetch("config.json")).json();
  status(`Loading the model of run ${config.runId} ...`);
  const backend = await chooseBackend(config.backend);
  const manifest: tf.io.WeightsManifestConfig = await (await fetch("detector/manifest.json")).json();
  const detectorWeights = await tf.io.loadWeights(manifest, "detector");
  const model = await tf.loadLayersModel("model/model.json");
  const classifier: EmotionClassifier = { ...config, model };
  state.backend = backend;
  byId("model").textContent = `${config.runId} (${config.classes.join(", ")}), tfjs ${backend}`;
  state.state = "ready";
  status("Ready: press Start camera");

  const video = byId<HTMLVideoElement>("video");
  const overlay = byId<HTMLCanvasElement>("overlay");
  const timeline = byId<HTMLCanvasElement>("timeline");
  const rows: TimelineRow[] = [];
  const histories = new Map<number, number[][]>();
  const tracker = faceTracker({ maxMissedFrames: 8 });
  const finder = frameFaceFinder(
    redetectRule({ every: config.detectEvery }),
    (image) => detectFaces(detectorWeights, image, { inputSize: config.inputSize }),
    config.size,
  );
  let rgb = new Uint8Array(0);
  let running = false;
  let started = 0;
  let frames = 0;
  let detected = 0;
  let faces = 0;
  const frameTimes: number[] = [];
  const grab = document.createElement("canvas");
  const grabContext = grab.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;

  const step = async () => {
    if (!running) return;
    const width = video.videoWidth;
    const height = video.videoHeight;
    if (width > 0 && height > 0) {
      grab.width = width;
      grab.height = height;
      grabContext.drawImage(video, 0, 0);
      const rgba = grabContext.getImageData(0, 0, width, height).data;
      if (rgb.length !== width * height * 3) rgb = new Uint8Array(width * height * 3);
      for (let p = 0, q = 0; p < rgb.length; p += 3, q += 4) {
        rgb[p] = rgba[q];
        rgb[p + 1] = rgba[q + 1];
        rgb[p + 2] = rgba[q + 2];
      }
      const { boxes, crops, reason } = await finder.next(frames, { rgb, width, height });
      if (reason !== null) detected++;
      const probabilities = await classifyFaces(classifier, crops);
      const ids = tracker.update(boxes);
      const timeS = (performance.now() - started) / 1000;
      boxes.forEach((box, i) => {
        const history = [...(histories.get(ids[i]) ?? []), probabilities[i]].slice(-90);
        histories.set(ids[i], history);
        const smoothed = smoothLabels(history, "ema", { fps: Math.max(1, Number(state.fps ?? 1)) }).at(-1) as number;
        const label = probabilities[i].indexOf(Math.max(...probabilities[i]));
        rows.push({ timeS, track: ids[i], box: [box.x, box.y, box.width, box.height], probabilities: probabilities[i], label, smoothed });
      });
      faces += boxes.length;
      frames++;
      draw(overlay, width, height, rows.slice(rows.length - boxes.length), config.classes);
      drawTimeline(timeline, rows, config.classes, timeS);
      // fps over the last 20 frames, so the first frames' shader compilation does not drag it down.
      frameTimes.push(performance.now());
      if (frameTimes.length > 21) frameTimes.shift();
      const fps = frameTimes.length > 1 ? ((frameTimes.length - 1) * 1000) / (frameTimes[frameTimes.length - 1] - frameTimes[0]) : 0;
      byId("fps").textContent = `${fps.toFixed(1)} fps`;
      state.faces = String(faces);
      state.rows = String(rows.length);
      state.frames = String(frames);
      state.detected = String(detected);
      state.fps = fps.toFixed(2);
    }
    requestAnimationFrame(step);
  };

  byId<HTMLButtonElement>("start").onclick = async () => {
    if (running) return;
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: false });
      await video.play();
    } catch (error) {
      state.state = "error";
      status(`No camera: ${(error as Error).message}. Allow the camera for this page, or plug one in.`);
      return;
    }
    running = true;
    started = performance.now();
    state.state = "running";
    status("Running: frames stay in this browser tab");
    requestAnimationFrame(step);
  };
  byId<HTMLButtonElement>("stop").onclick = () => {
    running = false;
    (video.srcObject as MediaStream | null)?.getTracks().forEach((track) => track.stop());
    state.state = "ready";
    status("Stopped");
  };
  byId<HTMLButtonElement>("download").onclick = () => {
    const header = ["time_s", "track", "x", "y", "w", "h", ...config.classes, "label", "smoothed_label"].join(",");
    const lines = rows.map((row) =>
      [row.timeS.toFixed(3), row.track, ...row.box.map((v) => v.toFixed(1)), ...row.probabilities.map((p) => p.toFixed(4)), config.classes[row.label], config.classes[row.smoothed]].join(",")
    );
    const url = URL.createObjectURL(new Blob([[header, ...lines].join("\n") + "\n"], { type: "text/csv" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: "emotion_timeline.csv" });
    link.click();
    URL.revokeObjectURL(url);
  };
}

/**
 * Sets the tfjs backend: the one asked for, or for "auto" WebGL on a hardware GPU
 * and wasm when WebGL would render in software (no GPU, a headless browser),
 * falling back to the next that starts (wasm, then the plain CPU backend).
 */
async function chooseBackend(asked: LivePageBackend): Promise<string> {
  setWasmPaths("wasm/");
  const softwareGl = () => {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return true;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    return /swiftshader|llvmpipe|software/i.test(renderer);
  };
  const order = asked === "auto" ? (softwareGl() ? ["wasm", "webgl", "cpu"] : ["webgl", "wasm", "cpu"]) : [asked, "cpu"];
  for (const name of order) {
    if (await tf.setBackend(name).catch(() => false)) {
      await tf.ready();
      return name;
    }
  }
  throw new Error(`No tfjs backend started (tried ${order.join(", ")})`);
}

function draw(canvas: HTMLCanvasElement, width: number, height: number, latest: TimelineRow[], classes: string[]): void {
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d") as CanvasRenderingContext2D;
  context.clearRect(0, 0, width, height);
  context.lineWidth = 3;
  context.font = "18px sans-serif";
  for (const row of latest) {
    const [x, y, w, h] = row.box;
    context.strokeStyle = context.fillStyle = COLORS[row.smoothed % COLORS.length];
    context.strokeRect(x, y, w, h);
    context.fillText(`${classes[row.smoothed]} ${(row.probabilities[row.smoothed] * 100).toFixed(0)}% #${row.track}`, x, Math.max(18, y - 6));
  }
}

function drawTimeline(canvas: HTMLCanvasElement, rows: TimelineRow[], classes: string[], nowS: number): void {
  const context = canvas.getContext("2d") as CanvasRenderingContext2D;
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const from = Math.max(0, nowS - HISTORY_S);
  const x = (t: number) => ((t - from) / HISTORY_S) * width;
  const recent = rows.filter((row) => row.timeS >= from);
  const band = 14;
  for (const row of recent) {
    context.fillStyle = COLORS[row.smoothed % COLORS.length];
    context.fillRect(x(row.timeS), 0, 3, band);
  }
  classes.forEach((name, c) => {
    context.strokeStyle = COLORS[c % COLORS.length];
    context.beginPath();
    recent.forEach((row, i) => {
      const y = band + 4 + (1 - row.probabilities[c]) * (height - band - 8);
      if (i === 0) context.moveTo(x(row.timeS), y);
      else context.lineTo(x(row.timeS), y);
    });
    context.stroke();
    context.fillStyle = COLORS[c % COLORS.length];
    context.fillText(name, 6 + c * 80, height - 4);
  });
}

start().catch((error) => {
  document.body.dataset.state = "error";
  status(`Error: ${(error as Error).message}`);
});
