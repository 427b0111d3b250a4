/**
 * Measures where the face detector's box sits inside the dataset's 48x48 face
 * crops, which fixes how src/video/face_crop.ts registers video faces
 * (FACE_REGISTRATION). Each crop is scaled to 96 px and centred on a 192 px
 * gray canvas so the detector sees the whole face; it prints the quartiles of
 * box width and height over the crop side and of the box centre.
 *
 * Usage: `npx deno run -A bench/face_registration.ts [dataset-root] [--per-class N]`
 * (root defaults to ../shared/data/facial_emotion_images; N images per class
 * and split of validation and test, default 40).
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { selectBackend } from "../src/backend/select_backend.ts";
import { loadFaceDetector } from "../src/video/load_face_detector.ts";
import { detectFaces } from "../src/video/tiny_face_detector.ts";

const args = [...Deno.args];
const flag = args.indexOf("--per-class");
const perClass = flag >= 0 ? Number(args.splice(flag, 2)[1]) : 40;
const root = args[0] ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../shared/data/facial_emotion_images");
const SCALED = 96;
const PAD = 48;

await selectBackend("wasm");
const detector = await loadFaceDetector();
const rows: number[][] = [];
let images = 0;
for (const split of ["validation", "test"]) {
  for (const label of await readdir(join(root, split))) {
    const files = (await readdir(join(root, split, label))).sort().slice(0, perClass);
    for (const file of files) {
      const gray = await sharp(join(root, split, label, file)).grayscale().resize(SCALED, SCALED, { kernel: "linear" }).raw().toBuffer();
      const image = tf.tidy(() =>
        tf.pad(tf.tensor3d(new Uint8Array(gray), [SCALED, SCALED, 1], "int32"), [[PAD, PAD], [PAD, PAD], [0, 0]], 128).tile([1, 1, 3]) as tf.Tensor3D
      );
      const [face] = await detectFaces(detector.weights, image, { inputSize: 160, scoreThreshold: 0.3 });
      image.dispose();
      images++;
      if (face) {
        rows.push([face.width / SCALED, face.height / SCALED, (face.x - PAD + face.width / 2) / SCALED, (face.y - PAD + face.height / 2) / SCALED]);
      }
    }
  }
}
const quartiles = (column: number) => {
  const sorted = rows.map((row) => row[column]).sort((a, b) => a - b);
  return [0.25, 0.5, 0.75].map((q) => sorted[Math.floor((sorted.length - 1) * q)].toFixed(3)).join(" / ");
};
console.log(`faces found in ${rows.length} of ${images} crops (quartiles 25% / 50% / 75%, in units of the crop side)`);
console.log(`box width   ${quartiles(0)}`);
console.log(`box height  ${quartiles(1)}`);
console.log(`box centre x ${quartiles(2)} (crop centre 0.5)`);
console.log(`box centre y ${quartiles(3)} (crop centre 0.5)`);
