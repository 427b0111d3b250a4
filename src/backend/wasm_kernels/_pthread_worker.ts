/**
 * The pthread worker script for tfjs's threaded SIMD wasm build, written to a
 * real file so that `node:worker_threads` under Deno can start it.
 *
 * Why a file of our own: tfjs hands Emscripten a `blob:` URL for the worker,
 * which Node's and Deno's `Worker` reject, and the worker script it ships
 * assigns `location` and `self` on the global object, which Deno's worker
 * global scope forbids. This script does the same job (load the Emscripten
 * glue into the worker, then run pthread entry points) without touching
 * read-only globals, and loads the glue with `require` from node_modules.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** The script body; `GLUE_PATH` is prepended as a constant. */
const WORKER_BODY = String.raw`
const { parentPort } = require("node:worker_threads");
let Module = {};
let initializedJS = false;
let pendingQueues = [];
globalThis.postMessage = (message) => parentPort.postMessage(message);
globalThis.startWorker = (instance) => {
  Module = instance;
  parentPort.postMessage({ cmd: "loaded" });
};
function load(data) {
  Module.wasmModule = data.wasmModule;
  for (const handler of data.handlers) {
    Module[handler] = (...args) => parentPort.postMessage({ cmd: "callHandler", handler, args });
  }
  Module.wasmMemory = data.wasmMemory;
  Module.buffer = data.wasmMemory.buffer;
  Module.ENVIRONMENT_IS_PTHREAD = true;
  Module.instantiateWasm = (info, receiveInstance) => {
    const instance = new WebAssembly.Instance(Module.wasmModule, info);
    receiveInstance(instance);
    Module.wasmModule = null;
    return instance.exports;
  };
  require(GLUE_PATH)(Module);
}
function run(data) {
  Module.__emscripten_thread_init(data.pthread_ptr, 0, 0, 1);
  Module.establishStackSpace();
  Module.PThread.receiveObjectTransfer(data);
  Module.PThread.threadInitTLS();
  if (!initializedJS) {
    for (const queue of pendingQueues) Module.executeNotifiedProxyingQueue(queue);
    pendingQueues = [];
    initializedJS = true;
  }
  try {
    Module.invokeEntryPoint(data.start_routine, data.arg);
  } catch (error) {
    if (error === "unwind") return;
    if (!(error instanceof Module.ExitStatus)) throw error;
    if (!Module.keepRuntimeAlive()) Module.__emscripten_thread_exit(error.status);
  }
}
parentPort.on("message", (data) => {
  try {
    if (data.cmd === "load") load(data);
    else if (data.cmd === "run") run(data);
    else if (data.cmd === "cancel" && Module._pthread_self()) Module.__emscripten_thread_exit(-1);
    else if (data.cmd === "processProxyingQueue") {
      if (initializedJS) Module.executeNotifiedProxyingQueue(data.queue);
      else pendingQueues.push(data.queue);
    }
  } catch (error) {
    if (Module.__emscripten_thread_crashed) Module.__emscripten_thread_crashed();
    throw error;
  }
});
`;

/**
 * Writes the pthread worker script for a given Emscripten glue file into the
 * system temp folder and returns its path. The file name carries a hash of
 * its content, so concurrent processes and package upgrades never clash; it
 * is written to a private name first and renamed, so a reader never sees a
 * half-written file.
 *
 * @param gluePath Absolute path of `tfjs-backend-wasm-threaded-simd.js` (the
 *   Emscripten glue in `@tensorflow/tfjs-backend-wasm/wasm-out/`).
 * @returns Absolute path of the `.cjs` worker script.
 * @example
 * ```ts
 * const path = await writePthreadWorker("/abs/wasm-out/tfjs-backend-wasm-threaded-simd.js");
 * console.assert(path.endsWith(".cjs"));
 * ```
 */
export async function writePthreadWorker(gluePath: string): Promise<string> {
  const source = `"use strict";\nconst GLUE_PATH = ${JSON.stringify(gluePath)};\n${WORKER_BODY}`;
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const folder = join(tmpdir(), "fer-workbench");
  await mkdir(folder, { recursive: true });
  const path = join(folder, `tfjs-wasm-pthread-${hash}.cjs`);
  const partial = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(partial, source);
  await rename(partial, path);
  return path;
}
