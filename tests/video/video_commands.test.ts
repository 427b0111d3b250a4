import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import { main } from "../../src/cli.ts";
import { HAS_FFMPEG, makeClip, tinyRun, VIDEO_DATA } from "./_fixtures.ts";
import { callCli } from "../in_process_cli.ts";

let results = "";
let runId = "";
beforeAll(async () => {
  ({ resultsRoot: results, runId } = await tinyRun());
});

function cli(...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_BACKEND: "wasm" });
}

describe("fer video, detect and eval --detect: help and bad input", () => {
  it("video --help says how to use it and lists the smoothers", async () => {
    const { code, out } = await cli("video", "--help");
    expect(code).toBe(0);
    expect(out).toContain("Usage: deno task fer video <file>");
    expect(out).toContain("none, ema, majority, hmm");
  });

  it("a missing video is a clear error with exit status 1", async () => {
    const { code, err } = await cli("video", "no/such.mp4", "--model", runId);
    expect(code).toBe(1);
    expect(err).toContain("VideoError: Video file no/such.mp4 does not exist");
  });

  it("a run id whose model does not exist is a clear error", async () => {
    const { code, err } = await cli("video", "x.mp4", "--model", "20990101-000000-none-000000");
    expect(code).toBe(1);
    expect(err).toContain('No run "20990101-000000-none-000000"');
  });

  it("an unknown smoother names the known ones", async () => {
    const { code, err } = await cli("video", "x.mp4", "--smooth", "kalman");
    expect(code).toBe(1);
    expect(err).toContain('Unknown smoother "kalman"; known: none, ema, majority, hmm');
  });

  it("a --detect-every that is not a whole number of frames says what to pass", async () => {
    const { code, err } = await cli("video", "x.mp4", "--detect-every", "0.5");
    expect(code).toBe(1);
    expect(err).toContain('Option --detect-every is "0.5"; pass a whole number of frames of at least 1');
    const live = await cli("live", "--detect-every", "0");
    expect(live.code).toBe(1);
    expect(live.err).toContain('Option --detect-every is "0"; pass a whole number of frames of at least 1');
    const backend = await cli("live", "--backend", "webgpu");
    expect(backend.code).toBe(1);
    expect(backend.err).toContain('Live page backend "webgpu" is unknown; use one of auto, webgl, wasm, cpu');
  });

  it("ffmpeg missing says how to install it", async () => {
    const clip = join(await mkdtemp(join(tmpdir(), "fer-noff-")), "a.mp4");
    await writeFile(clip, "x");
    let err = "";
    const code = await main(["video", clip, "--model", runId], {
      out: () => {},
      err: (t) => (err += t),
      env: { FER_RESULTS: results, FER_BACKEND: "wasm", FER_FFMPEG: "/no/such/ffmpeg" },
    });
    expect(code).toBe(1);
    expect(err).toContain("apt-get install ffmpeg");
  });

  it("detect on a missing file is a clear error", async () => {
    const { code, err } = await cli("detect", "no/such.jpg", "--model", runId);
    expect(code).toBe(1);
    expect(err).toContain("no/such.jpg does not exist");
  });
});

describe.runIf(HAS_FFMPEG)("fer video end to end", () => {
  it("writes the folder and prints the summary for a clip with no face", async () => {
    const clip = await makeClip("color=c=gray:size=64x48:rate=5:duration=1");
    const out = join(await mkdtemp(join(tmpdir(), "fer-video-out-")), "run");
    const { code, out: text } = await cli("video", clip, "--model", runId, "--out", out, "--no-png", "--input-size", "64");
    expect(code).toBe(0);
    expect(text).toContain("No face was found in any of the 5 frames");
    const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8"));
    expect(summary.status).toBe("completed");
  });
});

describe("fer eval --detect", () => {
  it("scores uncropped photos, classifying a photo without a face whole", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-photos-"));
    for (const [i, name] of ["happy", "sad", "surprise", "neutral"].entries()) {
      const path = join(root, "test", name, "a.png");
      await sharp({ create: { width: 80, height: 60, channels: 3, background: { r: 40 * i, g: 90, b: 200 - 40 * i } } }).png().toFile(
        await ensureDir(path),
      );
    }
    const { code, out } = await cli("eval", runId, root, "--detect");
    expect(code).toBe(0);
    expect(out).toMatch(/test\s+n=4 accuracy \d\.\d{3}/);
    expect(out).toContain("face found in 0/4 (4 classified whole)");
    // Kept in evaluations.json, marked as detected, and shown per dataset by fer compare.
    const saved = JSON.parse(await readFile(join(results, "runs", runId, "evaluations.json"), "utf8"));
    const entry = saved.evaluations.find((e: { root: string }) => e.root === root);
    expect(entry).toMatchObject({ detectorInputSize: 416, blurSigma: 0, tta: null, splits: { test: { count: 4 } } });
    expect(entry.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const again = await cli("eval", runId, root, "--detect", "--json");
    expect(again.err).toContain("evaluations.json");
    const after = JSON.parse(await readFile(join(results, "runs", runId, "evaluations.json"), "utf8"));
    expect(after.evaluations.filter((e: { root: string }) => e.root === root)).toHaveLength(1);
    const compared = await cli("compare", runId);
    expect(compared.out).toContain("faces detected (input 416)");
  });
});

describe.runIf(VIDEO_DATA)("fer detect on the real photos", () => {
  it("labels more than one face in multi_face.jpg and writes the annotated image", async () => {
    const out = await mkdtemp(join(tmpdir(), "fer-detect-"));
    const { code } = await cli("detect", join(VIDEO_DATA, "multi_face.jpg"), "--model", runId, "--out", out);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(out, "detections.json"), "utf8"));
    expect(report.images[0].faces.length).toBeGreaterThan(1);
    expect(Object.keys(report.images[0].faces[0].probabilities)).toEqual(["happy", "sad", "surprise", "neutral"]);
    const annotated = await sharp(join(out, "multi_face.annotated.png")).metadata();
    expect(annotated.width).toBe(report.images[0].width);
  });
});

async function ensureDir(path: string): Promise<string> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dirname(path), { recursive: true });
  return path;
}
