/**
 * `deno task fer detect <image-or-folder>`: every face in photos, labelled;
 * and the `--detect` path of `fer eval` (uncropped photo datasets).
 *
 * @module
 */
import { readdir, stat } from "node:fs/promises";
import { makeOutputFolder } from "./output_folder.ts";
import { basename, extname, join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { atomicWrite } from "../core/atomic_write.ts";
import { VideoError } from "../core/errors.ts";
import { isImageName } from "../data/discover_dataset.ts";
import { saveDatasetEvaluation } from "../experiment/save_dataset_evaluation.ts";
import { type RunHandle, runPath } from "../experiment/run_store.ts";
import { detectedAsDatasetEvaluation, evaluateDetected } from "../video/evaluate_detected.ts";
import { annotatePhoto, labelPhotoFaces, PHOTO_INPUT_SIZE, type PhotoResult } from "../video/label_photo_faces.ts";
import { loadFaceDetector } from "../video/load_face_detector.ts";
import { type CliCommand, type CliIo, progressOutput } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { classifierFromFlag, detectOptionsFromFlags, VIDEO_MODEL_FLAGS, VIDEO_MODEL_HELP } from "./video_cli_options.ts";
import { workbenchPaths } from "./workbench_paths.ts";
import { intervalText } from "../viz/interval_text.ts";
import { passProgress } from "../train/progress_bar.ts";
import { nullIfStopped, SIGNAL_EXIT_CODES, untilStopped } from "./stop_signals.ts";

const HELP = `Usage: deno task fer detect <image-or-folder> [--model RUN-ID] [--out DIR] [--json]

Finds every face in a photo (or in every image of a folder, not recursive),
classifies each with a trained run's model, and writes to
results/detections/<time>/ (or --out): detections.json (per image: size, and
per face the box in pixels, detector score, label and one probability per
class) and <image>.annotated.png with boxes and labels drawn.

${VIDEO_MODEL_HELP}
  --out         write here instead (created if needed)
  --json        print detections.json to stdout instead of a summary

To score a model on a dataset of uncropped photos (<root>/<split>/<class>/<image>),
use deno task fer eval <run-id> <root> --detect.

Example: deno task fer detect ../shared/data/video/multi_face.jpg --model 20261202-035623-capstone_cnn-8c8ac1
`;

/** The `detect` command. */
export const detectCommand: CliCommand = {
  summary: "Label every face in photos (boxes, probabilities, annotated images)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "detect", flags: { ...VIDEO_MODEL_FLAGS, out: "string", json: "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const target = parsed.positionals[0];
    const files = await imageFiles(target);
    const detect = detectOptionsFromFlags(parsed.flags);
    const { resultsRoot, projectRoot } = workbenchPaths(io.env);
    await selectBackend(typeof parsed.flags.backend === "string" ? parsed.flags.backend : io.env?.FER_BACKEND ?? "auto", {
      log: (line) => io.err(`${line}\n`),
    });
    const classifier = await classifierFromFlag(parsed.flags, resultsRoot, io);
    const detector = await loadFaceDetector(projectRoot);
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    const out = typeof parsed.flags.out === "string" ? parsed.flags.out : join(resultsRoot, "detections", stamp);
    await makeOutputFolder(out, "--out");
    const results: PhotoResult[] = [];
    try {
      for (const file of files) {
        const result = await labelPhotoFaces(file, { detector: detector.weights, classifier }, detect);
        results.push(result);
        await annotatePhoto(result, join(out, `${basename(file, extname(file))}.annotated.png`));
      }
    } finally {
      classifier.model.dispose();
    }
    const report = { model: classifier.runId, detector: { name: detector.name, inputSize: detect.inputSize ?? PHOTO_INPUT_SIZE }, images: results };
    await atomicWrite(join(out, "detections.json"), JSON.stringify(report, null, 2) + "\n");
    if (parsed.flags.json === true) {
      io.out(JSON.stringify(report, null, 2) + "\n");
      return 0;
    }
    for (const result of results) {
      const faces = result.faces.map((face) => `${face.label} ${(face.probabilities[face.label] * 100).toFixed(0)}% at (${Math.round(face.box.x)}, ${Math.round(face.box.y)})`);
      io.out(`${result.path}: ${result.faces.length} face(s)${faces.length ? `: ${faces.join("; ")}` : ""}\n`);
    }
    io.out(`Wrote ${join(out, "detections.json")} and ${results.length} annotated image(s) to ${out}\n`);
    return 0;
  },
};

/**
 * `fer eval <run> <root> --detect`: detect, crop and classify uncropped photos, print
 * the scores and keep them in the run's evaluations.json (`fer compare` shows them).
 *
 * @param run The run.
 * @param root Dataset root of uncropped photos.
 * @param options Splits, JSON output, detector flags and the CLI's streams.
 * @returns The exit code.
 * @example
 * ```ts
 * await evalDetected(await openRun("results", "20261202-035623-capstone_cnn-8c8ac1"), "data/photos", { flags: {}, io });
 * ```
 */
export async function evalDetected(
  run: RunHandle,
  root: string,
  options: { splits?: string[]; json?: boolean; flags: Record<string, string | boolean>; io: CliIo },
): Promise<number> {
  const { io } = options;
  const { resultsRoot, projectRoot } = workbenchPaths(io.env);
  const runId = run.id;
  const classifier = await classifierFromFlag({ model: runId }, resultsRoot, io);
  const detector = await loadFaceDetector(projectRoot);
  try {
    const messages = {
      first: "stopping after the current photo; evaluations.json is left as it was",
      second: "evaluations.json is left as it was",
    };
    // A counter in a terminal, a line a minute in a log: the detector's pass over a thousand photos takes minutes.
    const where = progressOutput(io);
    const { result, stoppedBy } = await untilStopped(io, messages, (signal) =>
      nullIfStopped(
        evaluateDetected(classifier, root, {
          detector: detector.weights,
          splits: options.splits,
          detect: detectOptionsFromFlags(options.flags),
          progress: (split) => passProgress(`Detecting ${split}`, where),
          signal,
        }),
        signal,
      ));
    if (result === null) {
      io.err(`Evaluation of ${runId} stopped before every photo was classified: nothing was saved; rerun the command (--split for one split)\n`);
      return SIGNAL_EXIT_CODES[stoppedBy!];
    }
    // Kept in the run folder beside the cropped-face evaluations, so fer compare shows this dataset too.
    await saveDatasetEvaluation(run, detectedAsDatasetEvaluation(result));
    const saved = `Saved in ${runPath(run, "evaluations")} (deno task fer compare shows it per dataset)\n`;
    if (options.json) {
      io.out(JSON.stringify(result, null, 2) + "\n");
      io.err(saved);
      return 0;
    }
    io.out(`Run ${runId} on ${root}, faces detected and cropped (detector input ${result.inputSize})\n`);
    for (const [name, split] of Object.entries(result.splits)) {
      const m = split.metrics;
      io.out(
        `  ${name.padEnd(10)} n=${m.count} accuracy ${intervalText(m.accuracyInterval)}  macro-F1 ${m.macroF1.toFixed(3)}` +
          `  face found in ${split.facesFound}/${split.images} (${split.wholeImage} classified whole)` +
          `${m.collapsedToOneClass ? "  WARNING: collapsed to one class" : ""}\n`,
      );
    }
    io.err(saved);
    return 0;
  } finally {
    classifier.model.dispose();
  }
}

async function imageFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new VideoError(`${target} does not exist; pass an image file or a folder of images`);
  if (info.isFile()) return [target];
  const files = (await readdir(target)).filter(isImageName).sort().map((name) => join(target, name));
  if (files.length === 0) throw new VideoError(`Folder ${target} holds no image (.jpg, .jpeg, .png, ...); pass an image file or a folder of images`);
  return files;
}
