/**
 * A strip of frames from a video run, side by side, each with its faces'
 * boxes and smoothed labels drawn and its time written under it: a quick look
 * at what the timeline says, for notebooks and reports.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import sharp from "sharp";
import { faceOverlaySvg } from "./annotate_video.ts";
import { decodeVideo, type FfmpegPaths, probeVideo } from "./decode_video.ts";
import type { FrameRow } from "./frame_row.ts";

/** Options of {@linkcode frameStrip}. */
export interface FrameStripOptions extends FfmpegPaths {
  /** Frames in the strip, evenly spaced. @default 6 */
  count?: number;
  /** Height of each frame in the strip, in pixels. @default 180 */
  height?: number;
  /** The rate the rows were decoded at (summary.json's analysedFps). @default the video's rate */
  fps?: number;
}

/**
 * Draws `count` evenly spaced frames of the video with their labelled faces, as one PNG.
 *
 * @param videoPath The video the rows came from.
 * @param rows frames.csv's rows (from runVideo).
 * @param classes Class names.
 * @param options Frame count, height, decoding rate and ffmpeg paths.
 * @returns PNG bytes.
 * @throws {VideoError} When the video cannot be decoded.
 * @example
 * ```ts
 * const png = await frameStrip("clip.mp4", rows, classifier.classes, { count: 4, fps: summary.analysedFps });
 * await displayImage(png);
 * ```
 */
export async function frameStrip(videoPath: string, rows: readonly FrameRow[], classes: readonly string[], options: FrameStripOptions = {}): Promise<Uint8Array> {
  const info = await probeVideo(videoPath, options);
  const frameCount = Math.max(1, ...rows.map((row) => row.frame + 1));
  const count = Math.min(options.count ?? 6, frameCount);
  const wanted = new Set(Array.from({ length: count }, (_, i) => Math.round((i * (frameCount - 1)) / Math.max(count - 1, 1))));
  const height = options.height ?? 180;
  const width = Math.round((info.width / info.height) * height);
  const caption = 22;
  const tiles: { input: Buffer; left: number; top: number }[] = [];
  for await (const frame of decodeVideo(videoPath, info, { ...options, fps: options.fps ?? info.fps })) {
    if (!wanted.has(frame.index)) continue;
    const faces = rows.filter((row) => row.frame === frame.index && row.box);
    const label = faces.length === 0 ? "no face" : faces.map((row) => classes[row.smoothedLabel ?? row.label ?? 0]).join(", ");
    // sharp resizes before it composites, so draw at full size first, then shrink.
    const drawn = await sharp(frame.rgb, { raw: { width: info.width, height: info.height, channels: 3 } })
      .composite([{ input: Buffer.from(faceOverlaySvg(faces, classes, info)), top: 0, left: 0 }])
      .png()
      .toBuffer();
    const annotated = await sharp(drawn).resize(width, height).png().toBuffer();
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${caption}"><text x="4" y="16" font-family="sans-serif" font-size="14">${
      frame.timeS.toFixed(2)
    } s: ${label}</text></svg>`;
    const left = tiles.length / 2 * (width + 4);
    tiles.push({ input: annotated, left, top: 0 }, { input: Buffer.from(text), left, top: height });
    if (tiles.length / 2 === count) break;
  }
  return await sharp({ create: { width: count * (width + 4), height: height + caption, channels: 3, background: "#ffffff" } })
    .composite(tiles)
    .png()
    .toBuffer();
}
