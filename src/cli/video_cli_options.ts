/**
 * Options shared by `fer video`, `fer detect` and `fer live`: which model,
 * which backend, the detector's settings and where ffmpeg is.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import type { FfmpegPaths } from "../video/decode_video.ts";
import type { EmotionClassifier } from "../video/classify_faces.ts";
import { loadEmotionClassifier } from "../video/emotion_classifier.ts";
import { latestModelRun } from "../video/latest_model_run.ts";
import type { DetectOptions } from "../video/tiny_face_detector.ts";
import type { CliIo } from "./cli_command.ts";
import type { FlagSpec } from "./parse_args.ts";

/** The flags every face command takes. */
export const VIDEO_MODEL_FLAGS: FlagSpec = { model: "string", backend: "string", "input-size": "string", "min-score": "string" };

/** Their --help lines. */
export const VIDEO_MODEL_HELP = `  --model       a run id (deno task fer list) whose model classifies the faces
                (default: the newest completed run with a saved model); for a packaged
                net, run experiments/baseline_*.json once and pass that run
  --backend     auto, wasm, webgpu, tensorflow or cpu (default: auto or FER_BACKEND)
  --input-size  face detector input, a multiple of 32 (default 320 for video, 416
                for photos; larger finds smaller faces, more slowly; below 320
                the boxes of small faces grow loose and crops less registered)
  --min-score   detector confidence threshold in (0, 1) (default 0.5)`;

/**
 * Loads the classifier `--model` names, or the newest run's.
 *
 * @param flags Parsed flags.
 * @param resultsRoot Results folder.
 * @param io For the line saying which run was picked.
 * @returns The classifier.
 * @throws {ConfigError} When the run or its model does not exist.
 * @example
 * ```ts
 * const classifier = await classifierFromFlag({ model: "20261202-035623-capstone_cnn-8c8ac1" }, "results", io);
 * ```
 */
export async function classifierFromFlag(flags: Record<string, string | boolean>, resultsRoot: string, io: CliIo): Promise<EmotionClassifier> {
  return await loadEmotionClassifier(resultsRoot, await modelRunFromFlag(flags, resultsRoot, io));
}

/**
 * The run `--model` names, or else the newest completed run with a saved
 * model (`latestModelRun`), named on stderr with why it was picked.
 *
 * @param flags Parsed flags.
 * @param resultsRoot Results folder.
 * @param io For the line saying which run was picked.
 * @returns The run id.
 * @throws {ConfigError} When no `--model` is given and no run has a model.
 * @example
 * ```ts
 * const runId = await modelRunFromFlag({}, "results", io);
 * ```
 */
export async function modelRunFromFlag(flags: Record<string, string | boolean>, resultsRoot: string, io: CliIo): Promise<string> {
  if (typeof flags.model === "string" && flags.model) return flags.model;
  const { id, reason } = await latestModelRun(resultsRoot);
  io.err(`Model: ${id} (${reason}; pass --model to choose)\n`);
  return id;
}

/**
 * Detector options from `--input-size` and `--min-score`.
 *
 * @param flags Parsed flags.
 * @returns The options (checked later by the detector).
 * @throws {ConfigError} For a value that is not a number.
 * @example
 * ```ts
 * console.assert(detectOptionsFromFlags({ "input-size": "160" }).inputSize === 160);
 * ```
 */
export function detectOptionsFromFlags(flags: Record<string, string | boolean>): DetectOptions {
  const number = (name: string): number | undefined => {
    const value = flags[name];
    if (typeof value !== "string") return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new ConfigError(`Option --${name} is "${value}"; pass a number, e.g. --${name} ${name === "input-size" ? 320 : 0.5}`);
    return parsed;
  };
  return { inputSize: number("input-size"), scoreThreshold: number("min-score") };
}

/**
 * ffmpeg and ffprobe paths from FER_FFMPEG (ffprobe beside it), else from PATH.
 *
 * @param env The CLI's environment.
 * @returns The paths.
 * @example
 * ```ts
 * console.assert(ffmpegPaths({ FER_FFMPEG: "/opt/ff/ffmpeg" }).ffprobe === "/opt/ff/ffprobe");
 * ```
 */
export function ffmpegPaths(env: Readonly<Record<string, string | undefined>> = {}): FfmpegPaths {
  const ffmpeg = env.FER_FFMPEG;
  return ffmpeg ? { ffmpeg, ffprobe: join(dirname(ffmpeg), "ffprobe") } : {};
}

/**
 * `--detect-every N`: the most frames between two detector runs (redetect_rule.ts).
 *
 * @param flags Parsed flags.
 * @returns N, or undefined when the flag is absent (the caller's default applies).
 * @throws {ConfigError} For anything but a whole number of at least 1.
 * @example
 * ```ts
 * console.assert(detectEveryFromFlags({ "detect-every": "6" }) === 6);
 * ```
 */
export function detectEveryFromFlags(flags: Record<string, string | boolean>): number | undefined {
  const value = flags["detect-every"];
  if (typeof value !== "string") return undefined;
  const every = Number(value);
  if (!(Number.isInteger(every) && every >= 1)) {
    throw new ConfigError(`Option --detect-every is "${value}"; pass a whole number of frames of at least 1, e.g. 6 (1 detects on every frame)`);
  }
  return every;
}
