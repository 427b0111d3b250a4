/// <reference lib="dom" />
/**
 * Frames per second of the live page (`fer live`) in headless Chromium, with
 * a fake camera fed from single_face.mp4 (looped by Chromium), the detector
 * on every frame against the re-detection rule the page uses by default
 * (redetect_rule.ts: every 6 frames, sooner on a scene or face change),
 * measured in the same run.
 *
 * Chromium renders WebGL in software here (SwiftShader): a real GPU is
 * faster. The page analyses at most one frame per animation frame (60 Hz in
 * Chromium), and the fake camera delivers the clip's 30 frames per second,
 * so above 30 fps the page analyses some camera frames twice.
 *
 * Per setting it prints the frames analysed, the frames the detector ran on
 * and the fps over the measuring window (after the page has analysed its
 * first frames, which compile the shaders); then the ratio. The last line is
 * `live page fps: every-frame=<x> rule=<y>`.
 *
 * Usage: `npx deno run -A bench/live_page.ts [--model RUN-ID] [--seconds N] [--input-size N] [--clips DIR]`
 * (model: the newest run with a saved model; 20 seconds per setting; detector
 * input 320 as `fer live` uses by default; clips: ../shared/data/video).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { latestModelRun } from "../src/video/latest_model_run.ts";
import { type LivePageBackend, livePageBackend } from "../src/video/live_config.ts";
import { startLiveServer } from "../src/video/live_server.ts";
import { DEFAULT_CHROMIUM } from "../src/viz/export_figure_images.ts";

const args = [...Deno.args];
const option = (name: string): string | undefined => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const here = dirname(fileURLToPath(import.meta.url));
const clips = option("clips") ?? resolve(here, "../../shared/data/video");
const seconds = Number(option("seconds") ?? 20);
const inputSize = Number(option("input-size") ?? 320);
const backends = (option("backends") ?? "webgl,wasm").split(",").map(livePageBackend);
const resultsRoot = resolve(here, "../results");
const runId = option("model") ?? (await latestModelRun(resultsRoot)).id;
if (!existsSync(DEFAULT_CHROMIUM)) throw new Error(`No Chromium at ${DEFAULT_CHROMIUM}; install it (Debian: apt-get install chromium)`);

const work = await mkdtemp(join(tmpdir(), "fer-live-bench-"));
const y4m = join(work, "single_face.y4m");
const made = spawnSync("ffmpeg", ["-v", "error", "-i", join(clips, "single_face.mp4"), "-pix_fmt", "yuv420p", y4m]);
if (made.status !== 0) throw new Error(`ffmpeg could not make ${y4m}: ${made.stderr}`);

interface PageCounters {
  frames: number;
  detected: number;
  backend: string;
}

/** Runs the page with one detector interval and measures its fps. */
async function measure(backend: LivePageBackend, detectEvery: number): Promise<{ fps: number; frames: number; detected: number; backend: string }> {
  const server = await startLiveServer({ resultsRoot, runId, port: 0, inputSize, detectEvery, backend });
  const browser = await chromium.launch({
    executablePath: DEFAULT_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${y4m}`, "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 120_000 });
    await page.click("#start");
    // Warm-up: the first frames compile the WebGL shaders.
    await page.waitForFunction(() => Number(document.body.dataset.frames ?? 0) >= 10, null, { timeout: 300_000 });
    const read = () =>
      page.evaluate((): PageCounters => ({ frames: Number(document.body.dataset.frames), detected: Number(document.body.dataset.detected), backend: String(document.body.dataset.backend) }));
    const before = await read();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const after = await read();
    const elapsedS = (performance.now() - start) / 1000;
    const frames = after.frames - before.frames;
    return { fps: frames / elapsedS, frames, detected: after.detected - before.detected, backend: after.backend };
  } finally {
    await browser.close();
    await server.close();
  }
}

console.log(`model ${runId}; clip ${join(clips, "single_face.mp4")} looped; detector input ${inputSize}; ${seconds} s per setting; load average ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
const results: Record<string, number> = {};
for (const backend of backends) {
  for (const [name, every] of [["every-frame", 1], ["rule", 6]] as const) {
    const measured = await measure(backend, every);
    results[`${backend} ${name}`] = measured.fps;
    console.log(
      `  ${backend.padEnd(5)} ${name.padEnd(11)} (--detect-every ${every}): ${measured.frames} frames analysed, detector on ${measured.detected}, ${measured.fps.toFixed(1)} fps (page backend ${measured.backend})`,
    );
  }
  console.log(`  ${backend.padEnd(5)} rule / every-frame: ${(results[`${backend} rule`] / results[`${backend} every-frame`]).toFixed(2)}x the fps`);
}
console.log(`load average at the end ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
console.log(`live page fps: ${backends.map((b) => `${b}=${results[`${b} rule`].toFixed(1)}`).join(" ")} (rule; software WebGL: a real GPU is faster)`);
await rm(work, { recursive: true, force: true });
