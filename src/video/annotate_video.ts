/**
 * `fer video --annotate`: the video again, with each face's box and smoothed
 * label drawn, encoded as H.264 MP4 by ffmpeg.
 *
 * Frames are decoded a second time, an SVG overlay (boxes, label, confidence)
 * is composited onto each by sharp, and the raw frames go to ffmpeg's stdin.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import sharp from "sharp";
import { VideoError } from "../core/errors.ts";
import { escapeHtml } from "../viz/escape_html.ts";
import { decodeVideo, FFMPEG_INSTALL, type FfmpegPaths, type VideoInfo } from "./decode_video.ts";
import type { FrameRow } from "./frame_row.ts";

/** Options of {@linkcode annotateVideo}. */
export interface AnnotateOptions extends FfmpegPaths {
  /** Destination .mp4. */
  out: string;
  /** Class names, in probability order. */
  classes: readonly string[];
  /** The decoding rate the rows were made at. */
  fps: number;
}

const COLORS = ["#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

/**
 * Writes the annotated video.
 *
 * @param videoPath The source video.
 * @param info Its properties.
 * @param rows frames.csv's rows (boxes, smoothed labels).
 * @param options Destination, classes, rate and ffmpeg paths.
 * @returns Resolves when the MP4 is complete.
 * @throws {VideoError} When ffmpeg is missing or fails to encode.
 * @example
 * ```ts
 * await annotateVideo("clip.mp4", info, rows, { out: "annotated.mp4", classes, fps: 30 });
 * ```
 */
export async function annotateVideo(videoPath: string, info: VideoInfo, rows: readonly FrameRow[], options: AnnotateOptions): Promise<void> {
  const byFrame = new Map<number, FrameRow[]>();
  for (const row of rows) if (row.box) byFrame.set(row.frame, [...(byFrame.get(row.frame) ?? []), row]);
  const size = `${info.width}x${info.height}`;
  const encoder = spawn(options.ffmpeg ?? "ffmpeg", [
    "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-r", String(options.fps), "-i", "pipe:0",
    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-movflags", "+faststart", options.out,
  ], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  encoder.stderr.on("data", (chunk: Uint8Array) => (stderr += new TextDecoder().decode(chunk)));
  const finished = new Promise<void>((resolve, reject) => {
    encoder.on("error", (error) => reject(new VideoError(`Cannot run ffmpeg to encode ${options.out} (${error.message}); ${FFMPEG_INSTALL}`)));
    encoder.on("close", (code) =>
      code === 0 ? resolve() : reject(new VideoError(`ffmpeg could not encode ${options.out} (exit ${code}: ${stderr.trim().split("\n").pop()})`))
    );
  });
  for await (const frame of decodeVideo(videoPath, info, { ...options, fps: options.fps })) {
    const faces = byFrame.get(frame.index) ?? [];
    let pixels: Uint8Array = frame.rgb;
    if (faces.length > 0) {
      const svg = faceOverlaySvg(faces, options.classes, info);
      pixels = await sharp(frame.rgb, { raw: { width: info.width, height: info.height, channels: 3 } })
        .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
        .removeAlpha()
        .raw()
        .toBuffer();
    }
    if (!encoder.stdin.write(pixels)) await new Promise((resolve) => encoder.stdin.once("drain", resolve));
  }
  encoder.stdin.end();
  await finished;
}

/**
 * An SVG the size of the frame with each face's box and smoothed label (with
 * its probability and track id), to composite over the frame.
 *
 * @param faces The frame's rows that have a box.
 * @param classes Class names.
 * @param size The frame's width and height.
 * @returns The SVG text.
 * @example
 * ```ts
 * const svg = faceOverlaySvg([row], ["happy", "sad"], { width: 640, height: 360 });
 * console.assert(svg.includes("<rect"));
 * ```
 */
export function faceOverlaySvg(faces: readonly FrameRow[], classes: readonly string[], info: { width: number; height: number }): string {
  const stroke = Math.max(2, Math.round(info.width / 320));
  const font = Math.max(12, Math.round(info.width / 40));
  const parts = faces.map((row) => {
    const box = row.box!;
    const label = row.smoothedLabel ?? row.label ?? 0;
    const color = COLORS[label % COLORS.length];
    const confidence = row.probabilities ? row.probabilities[label] : 0;
    const text = `${escapeHtml(classes[label])} ${(confidence * 100).toFixed(0)}% #${row.track}`;
    const textY = Math.max(font, box.y - stroke * 2);
    return `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="${color}" stroke-width="${stroke}"/>` +
      `<text x="${box.x}" y="${textY}" font-family="sans-serif" font-size="${font}" fill="${color}" stroke="black" stroke-width="0.5">${text}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${info.width}" height="${info.height}">${parts.join("")}</svg>`;
}
