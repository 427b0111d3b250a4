import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { initWasmBackend } from "../../src/backend/init_wasm.ts";
import { ConfigError } from "../../src/core/errors.ts";

// The globals that starting the threaded build patches, as they were before.
const originals = { createObjectURL: URL.createObjectURL, cpus: os.cpus, Worker: globalThis.Worker };

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("initWasmBackend", () => {
  it("rejects a thread count outside 1 to 8 before starting anything", async () => {
    for (const threads of [0, 9, 1.5]) {
      await expect(initWasmBackend({ threads })).rejects.toThrow(ConfigError);
    }
    await expect(initWasmBackend({ threads: 0 })).rejects.toThrow(
      "Wasm threads 0 is not an integer from 1 to 8; pass threads in that range or leave it out",
    );
    expect(tf.engine().registry.wasm).toBeUndefined();
  });

  it("starts the wasm backend with two threads and SIMD", async () => {
    const info = await initWasmBackend({ threads: 2 });
    expect(tf.getBackend()).toBe("wasm");
    expect(info).toEqual({ threads: 2, simd: true, version: "4.22.0" });
  });

  it("puts back every global it patched while starting", () => {
    expect(URL.createObjectURL).toBe(originals.createObjectURL);
    expect(os.cpus).toBe(originals.cpus);
    expect(globalThis.Worker).toBe(originals.Worker);
  });

  it("computes with its threads: a convolution gives the hand-computed sum", () => {
    // 3x3 'same' convolution of ones by ones over 4 channels: an inner pixel sums 9*4 ones.
    const y = tf.tidy(() => tf.conv2d(tf.ones([2, 16, 16, 4]) as tf.Tensor4D, tf.ones([3, 3, 4, 8]) as tf.Tensor4D, 1, "same"));
    const values = y.dataSync();
    expect(values[(16 + 1) * 8]).toBe(36);
    expect(values[0]).toBe(16); // a corner sees 2x2 pixels
    y.dispose();
  });

  it("returns the running backend's info when called again", async () => {
    const again = await initWasmBackend({ threads: 2 });
    expect(again).toEqual({ threads: 2, simd: true, version: "4.22.0" });
  });

  it("says why it runs fewer threads than a later call asks for", async () => {
    const info = await initWasmBackend({ threads: 4 });
    expect(info.threads).toBe(2);
    expect(info.fallback).toBe(
      "The wasm backend was already started with 2 thread(s) in this process; start a new process to use 4",
    );
  });

  it("lets a script exit when its work is done (idle threads keep nothing alive)", () => {
    const info = runScript(`
      const info = await initWasmBackend({ threads: 2 });
      tf.conv2d(tf.ones([1, 8, 8, 4]), tf.ones([3, 3, 4, 4]), 1, "same").dataSync();
      console.log(JSON.stringify(info));`);
    expect(info).toMatchObject({ threads: 2 });
  });

  it("falls back to one thread, and says why, when workers cannot start", () => {
    const info = runScript(`
      import workerThreads from "node:worker_threads";
      workerThreads.Worker = class { constructor() { throw new Error("no workers here"); } };
      const info = await initWasmBackend({ threads: 2 });
      const y = tf.conv2d(tf.ones([1, 8, 8, 4]), tf.ones([3, 3, 4, 4]), 1, "same").dataSync();
      console.log(JSON.stringify({ ...info, centre: y[(8 + 1) * 4] }));`);
    expect(info).toEqual({
      threads: 1,
      simd: true,
      version: "4.22.0",
      fallback: "The threaded wasm build did not start (tfjs logged the cause above); running on 1 thread",
      centre: 36,
    });
  });

  it("falls back to one thread, and says why, when the worker script cannot be written", () => {
    const info = runScript("console.log(JSON.stringify(await initWasmBackend({ threads: 2 })));", { TMPDIR: "/dev/null" });
    expect(info).toMatchObject({ threads: 1, fallback: expect.stringMatching(/^The pthread worker script could not be written \(ENOTDIR/) });
  });
});

/** Runs `body` in a fresh Deno process (tf and initWasmBackend imported) and parses its last output line. */
function runScript(body: string, env: Record<string, string> = {}): unknown {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const script = `import * as tf from "@tensorflow/tfjs";
import { initWasmBackend } from "./src/backend/init_wasm.ts";
${body}`;
  const output = execFileSync(process.execPath, ["eval", script], {
    cwd: root,
    timeout: 30_000,
    encoding: "utf8",
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "ignore"],
  });
  return JSON.parse(output.trim().split("\n").at(-1) ?? "");
}
