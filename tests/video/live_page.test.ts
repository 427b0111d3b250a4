/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { DEFAULT_CHROMIUM } from "../../src/viz/export_figure_images.ts";
import { type LiveServer, startLiveServer } from "../../src/video/live_server.ts";
import { HAS_FFMPEG, tinyRun, VIDEO_DATA } from "./_fixtures.ts";

const HAS_CHROMIUM = existsSync(DEFAULT_CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`live page tests skipped: no Chromium at ${DEFAULT_CHROMIUM} (Debian: apt-get install chromium)`);

let results = "";
let runId = "";
beforeAll(async () => {
  ({ resultsRoot: results, runId } = await tinyRun());
});

describe("startLiveServer", () => {
  let server: LiveServer;
  afterAll(async () => await server?.close());

  it("serves the page, its script and the model, and accepts no data", async () => {
    server = await startLiveServer({ resultsRoot: results, runId, port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(await page.text()).toContain("Nothing leaves your browser");
    const config = await (await fetch(`${server.url}config.json`)).json();
    expect(config).toMatchObject({ runId, classes: ["happy", "sad", "surprise", "neutral"], size: 24, detectEvery: 6, backend: "auto" });
    const wasm = await fetch(`${server.url}wasm/tfjs-backend-wasm-simd.wasm`);
    expect(wasm.headers.get("content-type")).toBe("application/wasm");
    expect((await wasm.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(page.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    const model = await (await fetch(`${server.url}model/model.json`)).json();
    const weights = await fetch(`${server.url}model/${model.weightsManifest[0].paths[0]}`);
    expect((await weights.arrayBuffer()).byteLength).toBe((24 * 24 * 4 + 4) * 4);
    const posted = await fetch(server.url, { method: "POST", body: "frame" });
    await posted.body?.cancel();
    expect(posted.status).toBe(405);
    const outside = await fetch(`${server.url}model/..%2F..%2Fconfig.json`);
    await outside.body?.cancel();
    expect(outside.status).toBe(404);
  });

  it("refuses an unknown page backend, naming the ones it has", async () => {
    // deno-lint-ignore no-explicit-any
    await expect(startLiveServer({ resultsRoot: results, runId, port: 0, backend: "webgpu" as any })).rejects.toThrow('Live page backend "webgpu" is unknown; use one of auto, webgl, wasm, cpu');
  });

  it("refuses a detector interval below one frame before serving", async () => {
    await expect(startLiveServer({ resultsRoot: results, runId, port: 0, detectEvery: 0 })).rejects.toThrow("Detector interval is 0 frames");
  });

  it("names a run that has no model", async () => {
    await expect(startLiveServer({ resultsRoot: results, runId: "20990101-000000-none-000000", port: 0 })).rejects.toThrow('No run "20990101-000000-none-000000"');
  });
});

describe.runIf(HAS_CHROMIUM && HAS_FFMPEG && VIDEO_DATA)("the live page in headless Chromium with a fake camera", () => {
  it("shows face boxes and adds timeline rows from single_face.mp4", async () => {
    const y4m = join(await mkdtemp(join(tmpdir(), "fer-live-")), "single_face.y4m");
    const made = spawnSync("ffmpeg", ["-v", "error", "-i", join(VIDEO_DATA, "single_face.mp4"), "-t", "1", "-pix_fmt", "yuv420p", y4m]);
    expect(made.status).toBe(0);
    // Detector input 160: software WebGL is slow, and the test checks the page works, not its registration.
    const server = await startLiveServer({ resultsRoot: results, runId, port: 0, inputSize: 160 });
    const browser = await chromium.launch({
      executablePath: DEFAULT_CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${y4m}`, "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 90_000 });
      await page.click("#start");
      await page.waitForFunction(() => Number(document.body.dataset.rows ?? 0) >= 8, null, { timeout: 120_000 });
      const shown = await page.evaluate(() => ({
        faces: Number(document.body.dataset.faces),
        rows: Number(document.body.dataset.rows),
        fps: Number(document.body.dataset.fps),
        frames: Number(document.body.dataset.frames),
        detected: Number(document.body.dataset.detected),
        backend: document.body.dataset.backend,
        model: document.getElementById("model")?.textContent ?? "",
      }));
      console.log(`live page in headless Chromium: ${shown.fps.toFixed(2)} fps, detector on ${shown.detected} of ${shown.frames} frames (${shown.model})`);
      expect(shown.faces).toBeGreaterThanOrEqual(8);
      // The re-detection rule runs in the page too: the detector skips most frames.
      expect(shown.detected).toBeGreaterThanOrEqual(1);
      expect(shown.detected).toBeLessThan(shown.frames);
      // WebGL renders in software here (SwiftShader), so "auto" picks wasm, served by the page's own server.
      expect(shown.backend).toBe("wasm");
      expect(requests.some((line) => line.includes("/wasm/tfjs-backend-wasm"))).toBe(true);
      expect(shown.fps).toBeGreaterThan(0);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
      const csv = (await readFile(await download.path(), "utf8")).trim().split("\n");
      expect(csv[0]).toBe("time_s,track,x,y,w,h,happy,sad,surprise,neutral,label,smoothed_label");
      expect(csv.length).toBeGreaterThan(8);
      // Only GETs to the page's own server: no frame leaves the browser (blob: URLs are the wasm
      // backend's worker scripts, made in the page and never sent anywhere).
      const network = requests.filter((line) => !line.includes(" blob:"));
      expect(network.length).toBeGreaterThan(0);
      expect(network.every((line) => line.startsWith(`GET ${server.url}`))).toBe(true);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
