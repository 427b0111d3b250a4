/**
 * Shared test inputs for the video tests: a tiny run folder with a model,
 * synthetic clips made with ffmpeg, and where the real clips are.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { saveModel } from "../../src/experiment/model_files.ts";
import { createRun, runPath } from "../../src/experiment/run_store.ts";

/** The real clips and photos (../shared/data/video), when the real dataset is configured. */
export const VIDEO_DATA = process.env.FER_REAL_DATA ? join(dirname(process.env.FER_REAL_DATA), "video") : "";

/** Whether ffmpeg runs here (.ci/run installs it); tests that need it are skipped without it. */
export const HAS_FFMPEG = spawnSync("ffmpeg", ["-version"]).status === 0;

/**
 * A results folder holding one run whose model is a seeded 4-class softmax
 * over 24x24 gray inputs (flatten + dense), with a real config.json. Starts the wasm backend.
 */
export async function tinyRun(): Promise<{ resultsRoot: string; runId: string }> {
  await selectBackend("wasm");
  const resultsRoot = await mkdtemp(join(tmpdir(), "fer-video-results-"));
  const config = parseRunConfig({ name: "tiny_video", dataset: { root: "synthetic", size: 24 }, model: { family: "small_cnn" } });
  const run = await createRun(resultsRoot, config, { name: "tiny_video", now: new Date() });
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [24, 24, 1] }),
      tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    ],
  });
  await saveModel(model, runPath(run, "model"));
  model.dispose();
  return { resultsRoot, runId: run.id };
}

/**
 * Makes a clip with ffmpeg's lavfi sources, e.g. `testsrc2=size=160x120:rate=10:duration=1`.
 *
 * @returns The clip's path.
 */
export async function makeClip(source: string, name = "clip.mp4"): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "fer-video-clip-")), name);
  const made = spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", source, "-pix_fmt", "yuv420p", path]);
  if (made.status !== 0) throw new Error(`ffmpeg could not make ${path}: ${made.stderr}`);
  return path;
}
