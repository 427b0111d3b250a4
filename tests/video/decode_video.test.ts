import { describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatasetError, VideoError } from "../../src/core/errors.ts";
import { decodeVideo, probeVideo } from "../../src/video/decode_video.ts";
import { HAS_FFMPEG, makeClip } from "./_fixtures.ts";

describe.runIf(HAS_FFMPEG)("probeVideo and decodeVideo", () => {
  it("reads size and rate, then every frame as RGB with its time", async () => {
    const clip = await makeClip("testsrc2=size=64x48:rate=10:duration=1");
    const info = await probeVideo(clip);
    expect(info).toMatchObject({ width: 64, height: 48, fps: 10 });
    const frames = [];
    for await (const frame of decodeVideo(clip, info)) frames.push(frame);
    expect(frames.length).toBe(10);
    expect(frames[3]).toMatchObject({ index: 3, width: 64, height: 48 });
    expect(frames[3].timeS).toBeCloseTo(0.3);
    expect(frames[3].rgb.length).toBe(64 * 48 * 3);
  });

  it("decodes at a lower rate when asked", async () => {
    const clip = await makeClip("testsrc2=size=32x32:rate=20:duration=1");
    const info = await probeVideo(clip);
    let count = 0;
    for await (const _ of decodeVideo(clip, info, { fps: 5 })) count++;
    expect(count).toBe(5);
  });

  it("stops at the frame where the signal aborts", async () => {
    const clip = await makeClip("testsrc2=size=32x32:rate=10:duration=2");
    const info = await probeVideo(clip);
    const controller = new AbortController();
    let count = 0;
    for await (const frame of decodeVideo(clip, info, { signal: controller.signal })) {
      count++;
      if (frame.index === 4) controller.abort();
    }
    expect(count).toBe(5);
  });

  it("says a file that is not a video is not one, as a VideoError (a DatasetError)", async () => {
    const path = join(tmpdir(), `not-a-video-${Date.now()}.mp4`);
    await writeFile(path, "hello, I am text");
    const error = await probeVideo(path).catch((e) => e);
    expect(error).toBeInstanceOf(VideoError);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toContain(`File ${path} is not a video ffmpeg can read`);
  });
});

describe("probeVideo without a usable file or ffmpeg", () => {
  it("names a missing file", async () => {
    await expect(probeVideo("no/such/clip.mp4")).rejects.toThrow("Video file no/such/clip.mp4 does not exist");
  });

  it("says how to install ffmpeg when it is missing", async () => {
    const clip = join(tmpdir(), `any-${Date.now()}.mp4`);
    await writeFile(clip, "x");
    const error = await probeVideo(clip, { ffprobe: "/no/such/dir/ffprobe" }).catch((e) => e);
    expect(error).toBeInstanceOf(VideoError);
    expect(error.message).toContain("apt-get install ffmpeg");
  });
});
