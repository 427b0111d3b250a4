/**
 * Video decoding with Debian's `ffmpeg` as a subprocess: `ffprobe` reads the
 * stream's size and frame rate, then `ffmpeg` writes raw RGB frames at a
 * constant rate to a pipe, which this module cuts into frames.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { VideoError } from "../core/errors.ts";

/** What {@linkcode probeVideo} finds. */
export interface VideoInfo {
  /** Frame width in pixels. */
  width: number;
  /** Frame height in pixels. */
  height: number;
  /** Average frame rate of the stream (frames per second). */
  fps: number;
  /** Duration in seconds (0 when ffprobe does not know it). */
  durationS: number;
}

/** One decoded frame. */
export interface VideoFrame {
  /** 0-based frame number at the decoding rate. */
  index: number;
  /** Time of the frame from the start, in seconds (`index / fps`). */
  timeS: number;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** `height * width * 3` RGB bytes, row-major. */
  rgb: Uint8Array;
}

/** Where the ffmpeg programs are. */
export interface FfmpegPaths {
  /** The ffmpeg executable. @default "ffmpeg" (found on PATH) */
  ffmpeg?: string;
  /** The ffprobe executable. @default "ffprobe" (found on PATH) */
  ffprobe?: string;
}

/** Options of {@linkcode decodeVideo}. */
export interface DecodeVideoOptions extends FfmpegPaths {
  /** Frames per second to decode at (frames are dropped or repeated). @default the stream's average rate */
  fps?: number;
  /** Stops decoding (the generator then ends) when aborted. @default never */
  signal?: AbortSignal;
  /** Frames decoded ahead of the caller, so decoding overlaps the caller's work. @default 4 */
  readAhead?: number;
}

/** How to get ffmpeg, for error messages. */
export const FFMPEG_INSTALL = "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg) " +
  "or point FER_FFMPEG at the ffmpeg binary (ffprobe is taken from the same folder)";

/**
 * Reads a video's size, frame rate and duration with ffprobe.
 *
 * @param path The video file.
 * @param paths Where ffprobe is.
 * @returns The first video stream's properties.
 * @throws {VideoError} When the file is missing, is not a video ffmpeg reads, or ffprobe is not installed.
 * @example
 * ```ts
 * const info = await probeVideo("../shared/data/video/single_face.mp4");
 * console.assert(info.width === 640 && info.fps === 30);
 * ```
 */
export async function probeVideo(path: string, paths: FfmpegPaths = {}): Promise<VideoInfo> {
  await checkFile(path);
  const args = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,duration:format=duration", "-of", "json", path];
  const { code, stdout, stderr } = await runTool(paths.ffprobe ?? "ffprobe", args);
  const parsed = code === 0 ? safeJson(stdout) : null;
  const stream = parsed?.streams?.[0];
  if (!stream || !stream.width || !stream.height) {
    const why = stderr.trim().split("\n").pop() || "no video stream";
    throw new VideoError(
      `File ${path} is not a video ffmpeg can read (ffprobe: ${why}); pass a video file such as .mp4, .mov, .mkv or .webm`,
    );
  }
  const fps = parseRate(stream.avg_frame_rate) || parseRate(stream.r_frame_rate) || 25;
  const durationS = Number(stream.duration ?? parsed?.format?.duration ?? 0) || 0;
  return { width: stream.width, height: stream.height, fps, durationS };
}

/**
 * Decodes every frame of a video as RGB at a constant frame rate.
 *
 * @param path The video file.
 * @param info Its properties from {@linkcode probeVideo}.
 * @param options Rate, ffmpeg path and an abort signal.
 * @returns Frames in order; the generator ends at the end of the video or on abort.
 * @throws {VideoError} When ffmpeg is missing or fails part-way (with its last message).
 * @example
 * ```ts
 * const info = await probeVideo("clip.mp4");
 * for await (const frame of decodeVideo("clip.mp4", info, { fps: 10 })) console.log(frame.timeS);
 * ```
 */
export async function* decodeVideo(path: string, info: VideoInfo, options: DecodeVideoOptions = {}): AsyncGenerator<VideoFrame> {
  const fps = options.fps ?? info.fps;
  if (!(fps > 0 && fps <= 240)) throw new VideoError(`Frame rate ${fps} is out of range; pass --fps between 0 and 240, e.g. 10`);
  const args = ["-v", "error", "-nostdin", "-i", path, "-an", "-vf", `fps=${fps}`, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"];
  const child = spawn(options.ffmpeg ?? "ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Uint8Array) => (stderr = (stderr + new TextDecoder().decode(chunk)).slice(-2000)));
  const spawnError = new Promise<Error>((resolve) => child.on("error", resolve));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const frameBytes = info.width * info.height * 3;
  const readAhead = Math.max(1, Math.floor(options.readAhead ?? 4));
  // A reader cuts frames off the pipe into a queue up to readAhead frames ahead,
  // so ffmpeg decodes the next frames while the caller works on this one.
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | null = null;
  let aborted = false;
  let wakeConsumer = null as (() => void) | null;
  let wakeReader = null as (() => void) | null;
  const wake = () => {
    wakeConsumer?.();
    wakeConsumer = null;
  };
  const onAbort = () => {
    aborted = true;
    child.kill("SIGTERM");
    wakeReader?.();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  spawnError.then((error) => {
    failure ??= missingTool(options.ffmpeg ?? "ffmpeg", error);
    wake();
  });
  const reader = (async () => {
    let pending = new Uint8Array(frameBytes);
    let filled = 0;
    try {
      for await (let chunk of child.stdout as AsyncIterable<Uint8Array>) {
        while (chunk.length > 0) {
          const take = Math.min(chunk.length, frameBytes - filled);
          pending.set(chunk.subarray(0, take), filled);
          filled += take;
          chunk = chunk.subarray(take);
          if (filled === frameBytes) {
            queue.push(pending);
            wake();
            pending = new Uint8Array(frameBytes);
            filled = 0;
            while (queue.length >= readAhead && !aborted) await new Promise<void>((resolve) => (wakeReader = resolve));
          }
        }
        if (aborted) break;
      }
    } catch (error) {
      if (!aborted) failure ??= error as Error;
    } finally {
      ended = true;
      wake();
    }
  })();
  let index = 0;
  try {
    while (true) {
      if (queue.length > 0) {
        const rgb = queue.shift() as Uint8Array;
        wakeReader?.();
        wakeReader = null;
        yield { index, timeS: index / fps, width: info.width, height: info.height, rgb };
        if (aborted) return;
        index++;
        continue;
      }
      if (failure) throw failure;
      if (ended || aborted) break;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
    await reader;
    if (failure) throw failure;
    const code = await exited;
    if (failure) throw failure;
    if (code !== 0 && !aborted) {
      throw new VideoError(`ffmpeg stopped decoding ${path} after ${index} frames (exit ${code}: ${stderr.trim().split("\n").pop() ?? ""})`);
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (child.exitCode === null) child.kill("SIGTERM");
    aborted = true; // a caller that stopped early: the reader stops too
    wakeReader?.();
  }
}

async function checkFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new VideoError(`Video file ${path} does not exist; check the path (relative paths start at the project root)`);
  }
  if (!info.isFile()) throw new VideoError(`${path} is a folder, not a video file; pass one video file`);
}

function runTool(program: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Uint8Array) => (stdout += new TextDecoder().decode(chunk)));
    child.stderr.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
    child.on("error", (error) => reject(missingTool(program, error)));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function missingTool(program: string, error: Error): VideoError {
  return new VideoError(`Cannot run ${program} (${error.message}); ${FFMPEG_INSTALL}`);
}

function parseRate(rate: string | undefined): number {
  const [numerator, denominator = "1"] = (rate ?? "").split("/");
  const value = Number(numerator) / Number(denominator);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

interface ProbeOutput {
  streams?: { width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; duration?: string }[];
  format?: { duration?: string };
}

function safeJson(text: string): ProbeOutput | null {
  try {
    return JSON.parse(text) as ProbeOutput;
  } catch {
    return null;
  }
}
