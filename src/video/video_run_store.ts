/**
 * The video-run folder: its file names and how it is created and written.
 *
 * ```
 * results/videos/<utc-time>-<video-name>-<6 hex>/
 *   summary.json    status (running, completed, interrupted), the video, model, detector,
 *                   smoother, fps of the pipeline and each stage, faces found, per track
 *                   the share of time per emotion, transitions and mean confidence, and
 *                   the flicker of every smoother
 *   frames.csv      one row per frame and face (a frame without a face has one row
 *                   with empty track, box and label)
 *   timeline.html   probabilities over time and the smoothed label band (offline)
 *   timeline.png    the same as an image (needs Chromium)
 *   annotated.mp4   with --annotate: the video with boxes and labels drawn
 * ```
 *
 * summary.json is written with status "running" before the first frame, so a
 * killed process still leaves a marked folder.
 *
 * @module
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { createStampedFolder } from "../core/stamped_folder.ts";

/** Every file of a video-run folder, by role. */
export const VIDEO_RUN_FILES = {
  summary: "summary.json",
  frames: "frames.csv",
  timelineHtml: "timeline.html",
  timelinePng: "timeline.png",
  annotated: "annotated.mp4",
} as const;

/** Folder under the results root that holds video runs. */
export const VIDEOS_FOLDER = "videos";

/**
 * Creates a new, empty video-run folder.
 *
 * @param resultsRoot Results folder (runs go in `<resultsRoot>/videos/`), used when `out` is not given.
 * @param videoPath The video, whose name goes into the id.
 * @param options `out`: use this folder instead (it must be empty or new); `now`: the start time.
 * @returns The folder's path.
 * @throws {ConfigError} When `out` exists and is not an empty folder.
 * @example
 * ```ts
 * const dir = await createVideoRun("results", "clip.mp4", { now: new Date() });
 * console.assert(dir.includes("-clip-"));
 * ```
 */
export async function createVideoRun(resultsRoot: string, videoPath: string, options: { out?: string; now: Date }): Promise<string> {
  if (options.out) {
    const existing = await stat(options.out).catch(() => null);
    if (existing && (!existing.isDirectory() || (await readdir(options.out)).length > 0)) {
      throw new ConfigError(`Output folder ${options.out} exists and is not empty; pass a new or empty folder to --out`);
    }
    await mkdir(options.out, { recursive: true });
    return options.out;
  }
  const name = basename(videoPath, extname(videoPath));
  return (await createStampedFolder(join(resultsRoot, VIDEOS_FOLDER), name, { fallback: "video", now: options.now, what: "video-run" })).dir;
}

/**
 * Writes one file of a video-run folder atomically.
 *
 * @param dir The folder.
 * @param file Which file.
 * @param data Its contents (objects are written as indented JSON).
 * @returns Resolves when the file is in place.
 * @example
 * ```ts
 * await writeVideoRunFile(dir, "summary", { status: "running" });
 * ```
 */
export async function writeVideoRunFile(dir: string, file: keyof typeof VIDEO_RUN_FILES, data: string | Uint8Array | object): Promise<void> {
  const contents = typeof data === "string" || data instanceof Uint8Array ? data : JSON.stringify(data, null, 2) + "\n";
  await atomicWrite(join(dir, VIDEO_RUN_FILES[file]), contents);
}
