/**
 * `deno task fer video <file>`: emotion over time from a video file.
 *
 * @module
 */
import { join } from "node:path";
import { selectBackend } from "../backend/select_backend.ts";
import { ConfigError } from "../core/errors.ts";
import { classifierFromFlag, detectEveryFromFlags, detectOptionsFromFlags, ffmpegPaths, VIDEO_MODEL_FLAGS, VIDEO_MODEL_HELP } from "./video_cli_options.ts";
import { loadFaceDetector } from "../video/load_face_detector.ts";
import { runVideo } from "../video/run_video.ts";
import { DEFAULT_SMOOTHER, parseSmoother, SMOOTHERS } from "../video/smooth_labels.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { SIGNAL_EXIT_CODES, untilStopped } from "./stop_signals.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer video <file> [--model RUN-ID] [--out DIR] [--smooth NAME] [--fps N] [--detect-every N] [--annotate]

Decodes any video ffmpeg reads, finds and tracks faces, classifies each face
with a trained run's model, smooths each track's labels over time, and writes
results/videos/<time>-<name>-<hex>/ (or --out):
  frames.csv     one row per frame and face: frame,time_s,track,x,y,w,h,
                 one probability per class,label,smoothed_label (a frame with
                 no face has one row with an empty track and label)
  summary.json   fps of the pipeline and of each stage, faces found, per track
                 the share of time per emotion, transitions, mean confidence,
                 and the flicker (label switches per minute) of every smoother
  timeline.html  probabilities over time, smoothed label as a band (offline)
  timeline.png   the same as an image (needs Chromium)
  annotated.mp4  with --annotate: boxes and labels drawn on the video

The detector runs on the first frame, then every 0.2 s (--detect-every), and
at once when the picture changes (a cut) or a face's crop changes (it moved);
in between every face keeps its last box. A face keeps its track id while it
is seen at least every half second; a face that is gone longer and comes
back gets a new track id.
Ctrl-C (or SIGTERM) stops after the current frame and finishes the folder,
marked "interrupted" in summary.json (status 130, 143); a second Ctrl-C exits
at once. A video with no face gives empty rows, a
summary that says so, and exit status 0.

${VIDEO_MODEL_HELP}
  --out       write the run to this new or empty folder
  --smooth    ${SMOOTHERS.join(", ")} (default ${DEFAULT_SMOOTHER}): none = per-frame arg-max,
              ema = moving average (half-life 0.25 s), majority = majority of a
              0.5 s window, hmm = Viterbi with a penalty per label change
  --fps       frames per second to analyse (default: the video's own rate)
  --detect-every  most frames between two detections (default: 0.2 s of
              frames, 6 at 30 fps; 1 runs the detector on every frame)
  --annotate  also write annotated.mp4
  --no-png    skip timeline.png

Example: deno task fer video ../shared/data/video/single_face.mp4 --model 20261202-035623-capstone_cnn-8c8ac1
`;

/** The `video` command. */
export const videoCommand: CliCommand = {
  summary: "Emotion over time from a video file (faces detected, tracked, smoothed)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "video",
      flags: { ...VIDEO_MODEL_FLAGS, out: "string", smooth: "string", fps: "string", "detect-every": "string", annotate: "boolean", "no-png": "boolean" },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const smoother = parseSmoother(typeof parsed.flags.smooth === "string" ? parsed.flags.smooth : DEFAULT_SMOOTHER);
    const fps = typeof parsed.flags.fps === "string" ? Number(parsed.flags.fps) : undefined;
    if (fps !== undefined && !(fps > 0 && fps <= 240)) {
      throw new ConfigError(`Option --fps is "${parsed.flags.fps}"; pass frames per second between 0 and 240, e.g. 10`);
    }
    const detect = detectOptionsFromFlags(parsed.flags);
    const every = detectEveryFromFlags(parsed.flags);
    const { resultsRoot, projectRoot } = workbenchPaths(io.env);
    const backend = await selectBackend(typeof parsed.flags.backend === "string" ? parsed.flags.backend : io.env?.FER_BACKEND ?? "auto", {
      log: (line) => io.err(`${line}\n`),
    });
    const classifier = await classifierFromFlag(parsed.flags, resultsRoot, io);
    const detector = await loadFaceDetector(projectRoot);
    const messages = {
      first: "finishing the current frame, then writing the folder marked interrupted",
      second: "the video folder stays as it is, its summary.json saying running",
    };
    try {
      const { result: { dir, summary }, stoppedBy } = await untilStopped(io, messages, (signal) => runVideo(parsed.positionals[0], {
        classifier,
        detector,
        resultsRoot,
        out: typeof parsed.flags.out === "string" ? parsed.flags.out : undefined,
        smoother,
        fps,
        detect,
        redetect: every === undefined ? undefined : { every },
        annotate: parsed.flags.annotate === true,
        imagePlots: parsed.flags["no-png"] !== true,
        signal,
        log: (line) => io.err(`${line}\n`),
        backend: backend.name,
        ...ffmpegPaths(io.env),
      }));
      const s = summary.speed;
      io.out(
        `Video run ${dir} (${summary.status})\n` +
          `  ${summary.frames} frames at ${summary.analysedFps.toFixed(2)} fps, faces in ${summary.framesWithFace}, ${summary.tracks.length} track(s)\n` +
          `  speed: pipeline ${s.pipelineFps.toFixed(1)} fps; decode ${s.decodeFps.toFixed(0)}, detect ${s.detectFps.toFixed(1)}, crop ${s.cropFps.toFixed(0)}, ` +
          `classify ${s.classifyFps.toFixed(1)} fps (${backend.name}); detector on ${summary.framesDetected} of ${summary.frames} frames\n`,
      );
      if (summary.note) io.out(`  ${summary.note}\n`);
      for (const track of summary.tracks) {
        const shares = Object.entries(track.shareOfTime).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(", ");
        const transitions = track.transitions.map((t) => `${t.from}->${t.to} at ${t.timeS.toFixed(2)} s`).join(", ") || "none";
        io.out(`  track ${track.id}: ${track.firstS.toFixed(2)}-${track.lastS.toFixed(2)} s, ${shares}; transitions: ${transitions}; mean confidence ${track.meanConfidence.toFixed(2)}\n`);
      }
      const flicker = Object.entries(summary.smoothers).map(([name, f]) => `${name} ${f.switchesPerMinute.toFixed(1)}/min (agrees ${(f.agreement * 100).toFixed(0)}%)`).join(", ");
      if (summary.tracks.length > 0) io.out(`  flicker: ${flicker}\n`);
      io.out(`  timeline: ${join(dir, "timeline.html")}\n`);
      return summary.status === "interrupted" ? SIGNAL_EXIT_CODES[stoppedBy ?? "SIGINT"] : 0;
    } finally {
      classifier.model.dispose();
    }
  },
};
