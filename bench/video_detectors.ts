/**
 * Which face detector: the three the issue names, measured on the real clips
 * and photos in ../shared/data/video on one backend (default tensorflow).
 *
 * - `tiny@N`: face-api's TinyFaceDetector as this project runs it
 *   (src/video/tiny_face_detector.ts) at input size N.
 * - `ssd`: face-api's SSD MobileNet v1 (5.4 MB, input 512), run by
 *   @vladmandic/face-api itself on the same tfjs engine, minConfidence 0.5.
 * - `blazeface`: BlazeFace (human-models `blazeface.json`, the 256-pixel
 *   "back" model), decoded as @vladmandic/human decodes it (896 anchors,
 *   sigmoid scores, NMS at IoU 0.3), score threshold 0.5. Its files are not
 *   among those `fetch:models` keeps, so this bench takes them from the same
 *   pinned tarball (`npm pack --prefer-offline`, integrity checked against
 *   the pin) into `.cache/models/blazeface/`; without npm or the network it
 *   says so and skips the row.
 *
 * Columns: milliseconds per 640x360 frame (mean over the 72 frames of
 * single_face.mp4, 12 for SSD, after a warm-up); recall on video, on every
 * third frame (SSD takes seconds per frame here): frames with a face found of
 * single_face.mp4 (all show one face) and of the first 2.4 s of
 * face_noface.mov (one face each); false-alarm frames of no_face.mp4 (any box);
 * recall on the photos against the faces listed by hand below (a face counts
 * when a box contains its centre), and boxes that contain none.
 *
 * The machine is shared with a training run: milliseconds are inflated and
 * noisy; compare detectors within one run of this bench, not across runs.
 *
 * Measured 2026-12-02 (tensorflow, load average about 10):
 *
 * ```
 * detector       ms/frame  single_face.mp4  face_noface.mov 0-2.4 s  no_face.mp4 false  photos found (hand list)  photo boxes on no face
 * tiny@160         210.2            24/24                   21/22               0/32                       1/6                       0
 * tiny@224         190.8            24/24                   21/22               0/32                       1/6                       0
 * tiny@320         518.3            24/24                   21/22               0/32                       5/6                       1
 * tiny@416         822.9            24/24                   20/22               0/32                       6/6                       0
 * ssd             3668.4            24/24                   21/22               0/32                       6/6                       0
 * blazeface        928.2            24/24                   21/22              18/32                       6/6                       0
 * ```
 *
 * The choice (src/video/tiny_face_detector.ts, README "Video and real time"):
 * TinyFaceDetector, input 320 for video and 416 for photos. On the clips all
 * three find the same face frames; SSD MobileNet costs 7 times as much per
 * frame as TinyFaceDetector at 320 for no recall gained on video (it finds the
 * photos' faces, as tiny@416 does); BlazeFace costs 1.8 times as much and
 * fires on 18 of 32 cartoon frames of no_face.mp4, and its boxes are tighter
 * (no forehead), so the crop registration measured for TinyFaceDetector's
 * boxes would not hold for it.
 *
 * Usage: `npx deno run -A bench/video_detectors.ts [--backend tensorflow] [--clips DIR]`
 *
 * @module
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { selectBackend } from "../src/backend/select_backend.ts";
import { readTarFiles } from "../src/transfer/_read_tar_files.ts";
import { HUMAN_MODELS_PACKAGE, HUMAN_MODELS_PINS } from "../src/transfer/fetch_human_models.ts";
import { readWeightManifest } from "../src/transfer/read_weight_manifest.ts";
import { decodeVideo, probeVideo } from "../src/video/decode_video.ts";
import { FACE_API_MODEL_DIR, loadFaceDetector } from "../src/video/load_face_detector.ts";
import { detectFaces, type FaceBox } from "../src/video/tiny_face_detector.ts";

const args = [...Deno.args];
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const clips = option("clips") ?? resolve(root, "../shared/data/video");
const backend = await selectBackend(option("backend") ?? "tensorflow", { log: (line) => console.log(line) });

/** Face centres checked by eye (pixels of the original photos). */
const PHOTO_FACES: Record<string, [number, number][]> = {
  "single_face.jpg": [[281, 276]],
  // Left to right by position: the man with sunglasses, the woman front left,
  // the man at the back, the woman in the middle, the woman on the right.
  "multi_face.jpg": [[261, 111], [367, 294], [478, 267], [583, 367], [733, 350]],
};

type Detect = (image: tf.Tensor3D) => Promise<FaceBox[]>;

async function framesOf(file: string, seconds = Infinity): Promise<tf.Tensor3D[]> {
  const path = join(clips, file);
  const info = await probeVideo(path);
  const frames: tf.Tensor3D[] = [];
  for await (const frame of decodeVideo(path, info)) {
    if (frame.timeS >= seconds) break;
    frames.push(tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], "int32"));
  }
  return frames;
}

async function photo(file: string): Promise<tf.Tensor3D> {
  const { data, info } = await sharp(join(clips, file)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], "int32");
}

// --- SSD MobileNet through face-api itself ---
async function ssdDetector(): Promise<Detect> {
  const require = createRequire(import.meta.url);
  const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js");
  const { weights } = await readWeightManifest(join(root, FACE_API_MODEL_DIR), "ssd_mobilenetv1_model", { install: "npm ci" });
  await faceapi.nets.ssdMobilenetv1.loadFromWeightMap(weights);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  return async (image) => {
    const found = await faceapi.detectAllFaces(image, options);
    return found.map((d: { score: number; box: { x: number; y: number; width: number; height: number } }) => ({ ...pick(d.box), score: d.score }));
  };
}

function pick(box: { x: number; y: number; width: number; height: number }) {
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

// --- BlazeFace from the pinned human-models tarball ---
const BLAZEFACE_DIR = join(root, ".cache/models/blazeface");
const BLAZEFACE_FILES = ["blazeface.json", "blazeface.bin"];

async function blazefaceFiles(): Promise<string> {
  const present = await Promise.all(BLAZEFACE_FILES.map((name) => access(join(BLAZEFACE_DIR, name)).then(() => true, () => false)));
  if (present.every(Boolean)) return BLAZEFACE_DIR;
  const staging = await mkdtemp(join(tmpdir(), "fer-blazeface-"));
  try {
    const { stdout } = await promisify(execFile)("npm", ["pack", HUMAN_MODELS_PACKAGE, "--prefer-offline", "--json", "--pack-destination", staging], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as { filename: string; integrity: string }[];
    if (packed.integrity !== HUMAN_MODELS_PINS.integrity) throw new Error(`${HUMAN_MODELS_PACKAGE} has integrity ${packed.integrity}, not the pinned one`);
    const files = readTarFiles(gunzipSync(await readFile(join(staging, packed.filename))), new Set(BLAZEFACE_FILES.map((name) => `package/models/${name}`)));
    await mkdir(BLAZEFACE_DIR, { recursive: true });
    for (const name of BLAZEFACE_FILES) {
      const data = files.get(`package/models/${name}`);
      if (!data) throw new Error(`${name} is not in ${HUMAN_MODELS_PACKAGE}`);
      await writeFile(join(BLAZEFACE_DIR, name), data);
    }
    return BLAZEFACE_DIR;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function blazefaceDetector(): Promise<{ detect: Detect; sha256: string }> {
  const dir = await blazefaceFiles();
  const json = JSON.parse(await readFile(join(dir, "blazeface.json"), "utf8"));
  const bins = await Promise.all((json.weightsManifest[0].paths as string[]).map((name) => readFile(join(dir, name))));
  const weightData = new Uint8Array(bins.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bins) (weightData.set(b, at), (at += b.length));
  const sha256 = createHash("sha256").update(weightData).digest("hex");
  const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weightData.buffer }));
  const size = 256;
  // human's generateAnchors: strides 16 and 32 with 2 and 6 anchors per cell, in input pixels.
  const anchors: number[] = [];
  for (const [stride, count] of [[16, 2], [32, 6]]) {
    for (let gy = 0; gy < size / stride; gy++) for (let gx = 0; gx < size / stride; gx++) for (let n = 0; n < count; n++) anchors.push(stride * (gx + 0.5), stride * (gy + 0.5));
  }
  const detect: Detect = async (image) => {
    const [height, width] = image.shape;
    const batch = tf.tidy(() => {
      const input = tf.sub(tf.div(tf.image.resizeBilinear(tf.cast(image, "float32").expandDims(0) as tf.Tensor4D, [size, size]), 127.5), 1);
      const outputs = (model.execute(input) as tf.Tensor[]).sort((a, b) => a.size - b.size);
      // Sorted by size: scores 384, scores 512, boxes 384, boxes 512; human puts the 512 (stride 16) first.
      return tf.concat([tf.concat([outputs[1], outputs[3]], 2), tf.concat([outputs[0], outputs[2]], 2)], 1).squeeze([0]) as tf.Tensor2D;
    });
    const values = await batch.data();
    batch.dispose();
    const columns = 17;
    const boxes: number[][] = [];
    const scores: number[] = [];
    for (let i = 0; i < anchors.length / 2; i++) {
      const score = 1 / (1 + Math.exp(-values[i * columns]));
      const cx = (values[i * columns + 1] + anchors[i * 2]) / size;
      const cy = (values[i * columns + 2] + anchors[i * 2 + 1]) / size;
      const w = values[i * columns + 3] / size;
      const h = values[i * columns + 4] / size;
      boxes.push([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2]);
      scores.push(score);
    }
    const kept = await tf.image.nonMaxSuppressionAsync(boxes, scores, 20, 0.3, 0.5);
    const indices = await kept.data();
    kept.dispose();
    return [...indices].map((i) => {
      const [y1, x1, y2, x2] = boxes[i];
      return { x: x1 * width, y: y1 * height, width: (x2 - x1) * width, height: (y2 - y1) * height, score: scores[i] };
    });
  };
  return { detect, sha256 };
}

// --- measuring ---
// Every 3rd frame for recall (SSD takes seconds per frame here); all 72 of single_face.mp4 for the time.
const every3rd = (frames: tf.Tensor3D[]) => frames.filter((frame, i) => i % 3 === 0 || (frame.dispose(), false));
const allSingle = await framesOf("single_face.mp4");
const video = {
  single: allSingle.filter((_, i) => i % 3 === 0),
  faceFirst: every3rd(await framesOf("face_noface.mov", 2.4)),
  none: every3rd(await framesOf("no_face.mp4")),
};
const photos = Object.fromEntries(await Promise.all(Object.keys(PHOTO_FACES).map(async (file) => [file, await photo(file)] as const)));

const tiny = await loadFaceDetector(root);
const detectors: [string, () => Promise<Detect>][] = [
  ...[160, 224, 320, 416].map((inputSize) => [`tiny@${inputSize}`, () => Promise.resolve((image: tf.Tensor3D) => detectFaces(tiny.weights, image, { inputSize }))] as [string, () => Promise<Detect>]),
  ["ssd", ssdDetector],
  ["blazeface", async () => {
    const { detect, sha256 } = await blazefaceDetector();
    console.log(`blazeface: ${BLAZEFACE_DIR}/blazeface.bin sha256 ${sha256.slice(0, 16)}...`);
    return detect;
  }],
];

const framesWithFace = async (detect: Detect, frames: tf.Tensor3D[]) => {
  let hits = 0;
  for (const frame of frames) if ((await detect(frame)).length > 0) hits++;
  return hits;
};

console.log(
  `\ndetectors (${backend.name}; machine load average ${Deno.loadavg().map((v) => v.toFixed(2)).join(" ")}: ` +
    "a training shares the 2 cores, so compare rows of this run only)",
);
console.log("detector       ms/frame  single_face.mp4  face_noface.mov 0-2.4 s  no_face.mp4 false  photos found (hand list)  photo boxes on no face");
const rows: { name: string; ms: number; recall: number }[] = [];
for (const [name, make] of detectors) {
  let detect: Detect;
  try {
    detect = await make();
  } catch (error) {
    console.log(`${name.padEnd(13)} skipped: ${(error as Error).message.split("\n")[0]}`);
    continue;
  }
  await framesWithFace(detect, video.single.slice(0, 2)); // warm-up: kernels, weights upload
  const timed = name === "ssd" ? allSingle.slice(0, 12) : allSingle; // ssd is slow: time 12 frames
  const started = performance.now();
  await framesWithFace(detect, timed);
  const ms = (performance.now() - started) / timed.length;
  const single = await framesWithFace(detect, video.single);
  const first = await framesWithFace(detect, video.faceFirst);
  const alarms = await framesWithFace(detect, video.none);
  let found = 0;
  let stray = 0;
  let listed = 0;
  for (const [file, centres] of Object.entries(PHOTO_FACES)) {
    const boxes = await detect(photos[file]);
    const matched = new Set<number>();
    for (const box of boxes) {
      const face = centres.findIndex(([x, y], i) => !matched.has(i) && x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height);
      if (face >= 0) matched.add(face);
      else stray++;
    }
    found += matched.size;
    listed += centres.length;
  }
  const recall = (single + first + found) / (video.single.length + video.faceFirst.length + listed);
  rows.push({ name, ms, recall });
  console.log(
    `${name.padEnd(13)} ${ms.toFixed(1).padStart(8)}  ${`${single}/${video.single.length}`.padStart(15)}  ${`${first}/${video.faceFirst.length}`.padStart(22)}  ` +
      `${`${alarms}/${video.none.length}`.padStart(17)}  ${`${found}/${listed}`.padStart(24)}  ${String(stray).padStart(22)}`,
  );
}
tf.dispose([...allSingle, video.faceFirst, video.none].flat());
tf.dispose(Object.values(photos));
tf.dispose(tiny.weights);
console.log(`detector choice: ${rows.map((r) => `${r.name} ${r.ms.toFixed(0)} ms recall ${(r.recall * 100).toFixed(0)}%`).join("; ")}`);
