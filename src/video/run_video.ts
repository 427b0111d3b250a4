/**
 * `fer video`'s pipeline: decode a video, detect and track faces, classify
 * each face, smooth each track's labels, and write a video-run folder
 * (see video_run_store.ts for its files).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";
import { annotateVideo } from "./annotate_video.ts";
import { type FrameRow, framesCsv } from "./frame_row.ts";
import { decodeVideo, type FfmpegPaths, probeVideo } from "./decode_video.ts";
import { classifyFaces, type EmotionClassifier } from "./classify_faces.ts";
import { faceTracker, type FaceTrackerOptions } from "./face_tracker.ts";
import { frameFaceFinder } from "./frame_faces.ts";
import type { FaceDetector } from "./load_face_detector.ts";
import { type RedetectOptions, type RedetectReason, redetectRule } from "./redetect_rule.ts";
import { DEFAULT_SMOOTHER, flickerStats, type FlickerStats, type SmoothOptions, SMOOTHERS, type SmootherName, smoothLabels } from "./smooth_labels.ts";
import { type DetectOptions, detectFaces, resolveDetectOptions } from "./tiny_face_detector.ts";
import { videoTimelineFigure } from "./timeline_figure.ts";
import { createVideoRun, VIDEO_RUN_FILES, writeVideoRunFile } from "./video_run_store.ts";
import { basename, join } from "node:path";

/** Options of {@linkcode runVideo}. */
export interface RunVideoOptions extends FfmpegPaths {
  /** The face classifier (a run's model). */
  classifier: EmotionClassifier;
  /** The face detector. */
  detector: FaceDetector;
  /** Results folder; the run goes to `<resultsRoot>/videos/<id>/` unless `out` is given. */
  resultsRoot: string;
  /** Write the run here instead (a new or empty folder). @default a new folder under resultsRoot */
  out?: string;
  /** Smoother for `smoothed_label`. @default DEFAULT_SMOOTHER ("hmm") */
  smoother?: SmootherName;
  /** The smoothers' parameters (fps is the decoding rate). @default smoothLabels' defaults */
  smoothOptions?: Omit<SmoothOptions, "fps">;
  /** Frames per second to analyse. @default the video's own rate */
  fps?: number;
  /** Detector options. @default inputSize 320, scoreThreshold 0.5 */
  detect?: DetectOptions;
  /**
   * When the detector runs (redetect_rule.ts): every `every` frames, or sooner on a
   * scene change or a face whose crop changed; in between faces keep their boxes.
   * @default every 0.2 s of frames (at least 1), frameChange 20, cropChange 12
   */
  redetect?: RedetectOptions;
  /** Faces classified in one model call: crops of consecutive frames are batched. @default 32 */
  classifyBatch?: number;
  /** Frames ffmpeg decodes ahead of the pipeline. @default 4 */
  readAhead?: number;
  /** Tracker options. @default IoU 0.3, tracks end after 0.5 s unseen */
  tracker?: FaceTrackerOptions;
  /** Also write annotated.mp4 with boxes and labels. @default false */
  annotate?: boolean;
  /** Also write timeline.png (needs Chromium). @default true */
  imagePlots?: boolean;
  /** Chromium for the PNG. @default /usr/bin/chromium */
  chromium?: string;
  /** Stops after the current frame; the folder is then finished and marked "interrupted". */
  signal?: AbortSignal;
  /** Progress lines. @default none */
  log?: (line: string) => void;
  /** Backend name, recorded in the summary. @default tf.getBackend() */
  backend?: string;
}

/** Per-track figures in summary.json. */
export interface TrackSummary {
  id: number;
  firstS: number;
  lastS: number;
  frames: number;
  /** Share of the track's frames per emotion (smoothed labels). */
  shareOfTime: Record<string, number>;
  /** Smoothed label changes. */
  transitions: { from: string; to: string; timeS: number }[];
  /** Mean probability of the raw label. */
  meanConfidence: number;
}

/** summary.json. */
export interface VideoSummary {
  status: "running" | "completed" | "interrupted";
  video: { path: string; width: number; height: number; sourceFps: number; durationS: number };
  model: { runId: string; classes: string[]; size: number };
  detector: { name: string; sha256: string; inputSize: number; scoreThreshold: number; redetect: Required<RedetectOptions> };
  backend: string;
  smoother: SmootherName;
  analysedFps: number;
  frames: number;
  framesWithFace: number;
  /** Frames the detector ran on (the others kept the last boxes), and why it ran. */
  framesDetected: number;
  detections: Record<RedetectReason, number>;
  /** Faces classified per model call. */
  classifyBatch: number;
  facesFound: number;
  /** A sentence when no face was found, else null. */
  note: string | null;
  /**
   * Frames per second of the whole pipeline (decoding to frames.csv and timeline.html;
   * the PNG and annotated.mp4 are extras outside it) and of each stage alone.
   */
  speed: { pipelineFps: number; decodeFps: number; detectFps: number; cropFps: number; classifyFps: number; smoothFps: number; writeFps: number };
  /**
   * Milliseconds per analysed frame per stage: decode (waiting for ffmpeg), detect
   * (frame tensor and detector, on the frames it runs on), crop (thumbnail, crops and
   * the re-detection rule), classify, smooth, write (frames.csv and timeline.html).
   */
  msPerFrame: { decode: number; detect: number; crop: number; classify: number; smooth: number; write: number; total: number };
  tracks: TrackSummary[];
  /** Flicker of every smoother, over all tracks: switches per minute and agreement with the raw labels. */
  smoothers: Record<SmootherName, FlickerStats>;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * Runs the whole video pipeline and writes the video-run folder.
 *
 * @param videoPath Any video ffmpeg reads.
 * @param options See {@linkcode RunVideoOptions}.
 * @returns The folder and its summary.
 * @throws {VideoError} For a missing file, a non-video or missing ffmpeg (before any folder is made).
 * @example
 * ```ts
 * const { dir, summary } = await runVideo("clip.mp4", { classifier, detector, resultsRoot: "results" });
 * console.assert(summary.status === "completed");
 * ```
 */
export async function runVideo(videoPath: string, options: RunVideoOptions): Promise<{ dir: string; summary: VideoSummary; rows: FrameRow[] }> {
  const info = await probeVideo(videoPath, options);
  const detect = resolveDetectOptions(options.detect);
  const smoother = options.smoother ?? DEFAULT_SMOOTHER;
  const fps = options.fps ?? info.fps;
  // Checked before the folder is made, so a bad option leaves nothing behind.
  const rule = redetectRule({ every: Math.max(1, Math.round(fps / 5)), ...options.redetect });
  const classifyBatch = options.classifyBatch ?? 32;
  if (!Number.isInteger(classifyBatch) || classifyBatch < 1) {
    throw new ConfigError(`classifyBatch is ${classifyBatch}; use a whole number of faces of at least 1, e.g. 32`);
  }
  const startedAt = new Date();
  const dir = await createVideoRun(options.resultsRoot, videoPath, { out: options.out, now: startedAt });
  const { classifier, detector } = options;
  const summary: VideoSummary = {
    status: "running",
    video: { path: videoPath, width: info.width, height: info.height, sourceFps: info.fps, durationS: info.durationS },
    model: { runId: classifier.runId, classes: classifier.classes, size: classifier.size },
    detector: { name: detector.name, sha256: detector.sha256, inputSize: detect.inputSize, scoreThreshold: detect.scoreThreshold, redetect: rule.options },
    backend: options.backend ?? tf.getBackend(),
    smoother,
    analysedFps: fps,
    frames: 0,
    framesWithFace: 0,
    framesDetected: 0,
    detections: { first: 0, interval: 0, scene: 0, face: 0 },
    classifyBatch,
    facesFound: 0,
    note: null,
    speed: { pipelineFps: 0, decodeFps: 0, detectFps: 0, cropFps: 0, classifyFps: 0, smoothFps: 0, writeFps: 0 },
    msPerFrame: { decode: 0, detect: 0, crop: 0, classify: 0, smooth: 0, write: 0, total: 0 },
    tracks: [],
    smoothers: {} as Record<SmootherName, FlickerStats>,
    startedAt: startedAt.toISOString(),
    finishedAt: null,
  };
  await writeVideoRunFile(dir, "summary", summary);

  const tracker = faceTracker(options.tracker ?? { maxMissedFrames: Math.round(fps / 2) });
  const rows: FrameRow[] = [];
  const ms = { decode: 0, detect: 0, crop: 0, classify: 0, smooth: 0, write: 0 };
  // Faces waiting for the classifier: their rows and crops, classified in batches.
  let waiting: { row: FrameRow; crop: Uint8Array }[] = [];
  const classifyWaiting = async () => {
    if (waiting.length === 0) return;
    const mark = performance.now();
    const probabilities = await classifyFaces(classifier, waiting.map((face) => face.crop));
    waiting.forEach(({ row }, i) => {
      row.probabilities = probabilities[i];
      row.label = argMax(probabilities[i]);
    });
    waiting = [];
    ms.classify += performance.now() - mark;
  };
  const finder = frameFaceFinder(rule, (image) => detectFaces(detector.weights, image, detect), classifier.size);
  const started = performance.now();
  const frames = decodeVideo(videoPath, info, { ...options, fps, signal: options.signal, readAhead: options.readAhead });
  while (true) {
    const mark = performance.now();
    const next = await frames.next();
    ms.decode += performance.now() - mark;
    if (next.done) break;
    const frame = next.value;
    const { boxes: faces, crops, reason, detectMs, cropMs } = await finder.next(frame.index, frame);
    ms.detect += detectMs;
    ms.crop += cropMs;
    if (reason !== null) {
      summary.framesDetected++;
      summary.detections[reason]++;
    }
    const ids = tracker.update(faces);
    if (faces.length === 0) {
      rows.push({ frame: frame.index, timeS: frame.timeS, track: null, box: null, probabilities: null, label: null, smoothedLabel: null });
    }
    faces.forEach((box, f) => {
      const row: FrameRow = { frame: frame.index, timeS: frame.timeS, track: ids[f], box, probabilities: null, label: null, smoothedLabel: null };
      rows.push(row);
      waiting.push({ row, crop: crops[f] });
    });
    if (waiting.length >= classifyBatch) await classifyWaiting();
    summary.frames++;
    if (faces.length > 0) summary.framesWithFace++;
    summary.facesFound += faces.length;
    if (summary.frames % 30 === 0) {
      options.log?.(`frame ${summary.frames}${info.durationS ? ` of about ${Math.round(info.durationS * fps)}` : ""}: ${summary.facesFound} faces so far`);
    }
  }
  await classifyWaiting();
  const interrupted = options.signal?.aborted ?? false;

  const mark = performance.now();
  const byTrack = groupByTrack(rows);
  for (const trackRows of byTrack.values()) {
    const smoothed = smoothLabels(trackRows.map((row) => row.probabilities as number[]), smoother, { ...options.smoothOptions, fps });
    trackRows.forEach((row, i) => (row.smoothedLabel = smoothed[i]));
  }
  ms.smooth = performance.now() - mark;

  summary.smoothers = compareSmoothers(byTrack, fps, options.smoothOptions);
  summary.tracks = [...byTrack.entries()].map(([id, trackRows]) => trackSummary(id, trackRows, classifier.classes));
  if (summary.facesFound === 0) {
    summary.note = `No face was found in any of the ${summary.frames} frames (detector score threshold ${detect.scoreThreshold}); frames.csv has one empty row per frame`;
  }
  const writing = performance.now();
  await writeVideoRunFile(dir, "frames", framesCsv(rows, classifier.classes));
  const figure = videoTimelineFigure(rows, classifier.classes, {
    title: `Emotion over time: ${basename(videoPath)} (${smoother} smoothing)`,
    durationS: summary.frames / fps,
  });
  await saveFigureHtml(figure, join(dir, VIDEO_RUN_FILES.timelineHtml));
  ms.write = performance.now() - writing;
  const totalMs = performance.now() - started;
  const n = Math.max(summary.frames, 1);
  summary.msPerFrame = {
    decode: ms.decode / n,
    detect: ms.detect / n,
    crop: ms.crop / n,
    classify: ms.classify / n,
    smooth: ms.smooth / n,
    write: ms.write / n,
    total: totalMs / n,
  };
  const perSecond = (value: number) => (value > 0 ? 1000 / value : 0);
  summary.speed = {
    pipelineFps: summary.frames > 0 ? summary.frames / (totalMs / 1000) : 0,
    decodeFps: perSecond(summary.msPerFrame.decode),
    detectFps: perSecond(summary.msPerFrame.detect),
    cropFps: perSecond(summary.msPerFrame.crop),
    classifyFps: perSecond(summary.msPerFrame.classify),
    smoothFps: perSecond(summary.msPerFrame.smooth),
    writeFps: perSecond(summary.msPerFrame.write),
  };
  if (options.imagePlots ?? true) {
    try {
      await exportFigureImages([{ figure, basePath: join(dir, "timeline") }], { formats: ["png"], width: 1000, height: 500, executablePath: options.chromium });
    } catch (error) {
      options.log?.(`timeline.png skipped: ${(error as Error).message}`);
    }
  }
  if (options.annotate && !interrupted) {
    await annotateVideo(videoPath, info, rows, { ...options, fps, classes: classifier.classes, out: join(dir, VIDEO_RUN_FILES.annotated) });
  }
  summary.status = interrupted ? "interrupted" : "completed";
  summary.finishedAt = new Date().toISOString();
  await writeVideoRunFile(dir, "summary", summary);
  return { dir, summary, rows };
}

function groupByTrack(rows: readonly FrameRow[]): Map<number, FrameRow[]> {
  const tracks = new Map<number, FrameRow[]>();
  for (const row of rows) {
    if (row.track === null) continue;
    const list = tracks.get(row.track) ?? [];
    list.push(row);
    tracks.set(row.track, list);
  }
  return tracks;
}

function compareSmoothers(byTrack: Map<number, FrameRow[]>, fps: number, smoothOptions: Omit<SmoothOptions, "fps"> = {}): Record<SmootherName, FlickerStats> {
  const result = {} as Record<SmootherName, FlickerStats>;
  for (const name of SMOOTHERS) {
    let switches = 0;
    let frames = 0;
    let same = 0;
    for (const trackRows of byTrack.values()) {
      const probabilities = trackRows.map((row) => row.probabilities as number[]);
      const raw = probabilities.map(argMax);
      const stats = flickerStats(smoothLabels(probabilities, name, { ...smoothOptions, fps }), { fps, reference: raw });
      switches += stats.switches;
      frames += trackRows.length;
      same += stats.agreement * trackRows.length;
    }
    result[name] = { switches, switchesPerMinute: frames > 0 ? switches / (frames / fps / 60) : 0, agreement: frames > 0 ? same / frames : 1 };
  }
  return result;
}

function trackSummary(id: number, rows: readonly FrameRow[], classes: readonly string[]): TrackSummary {
  const counts = classes.map(() => 0);
  const transitions: TrackSummary["transitions"] = [];
  let confidence = 0;
  rows.forEach((row, i) => {
    counts[row.smoothedLabel as number]++;
    confidence += (row.probabilities as number[])[row.label as number];
    if (i > 0 && row.smoothedLabel !== rows[i - 1].smoothedLabel) {
      transitions.push({ from: classes[rows[i - 1].smoothedLabel as number], to: classes[row.smoothedLabel as number], timeS: row.timeS });
    }
  });
  return {
    id,
    firstS: rows[0].timeS,
    lastS: rows[rows.length - 1].timeS,
    frames: rows.length,
    shareOfTime: Object.fromEntries(classes.map((name, c) => [name, counts[c] / rows.length])),
    transitions,
    meanConfidence: confidence / rows.length,
  };
}

function argMax(row: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c] > row[best]) best = c;
  return best;
}

