/**
 * Starts tfjs's wasm backend under Deno with SIMD and several XNNPACK threads,
 * and registers the kernels it needs for training.
 *
 * tfjs turns the threaded build off under Node (and Deno counts as Node),
 * hands Emscripten a `blob:` worker URL that `node:worker_threads` rejects,
 * and sizes its thread pool from half the logical cores (1 on a 2-core
 * machine). While the backend starts, this module forces the thread flag,
 * serves a worker script written to a real file, and reports enough cores
 * for the threads asked for; every global it touches is restored afterwards.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import * as tfWasm from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join } from "node:path";
import { BackendError, ConfigError } from "../core/errors.ts";
import { registerWasmTrainingKernels } from "./register_wasm_training_kernels.ts";
import { writePthreadWorker } from "./wasm_kernels/_pthread_worker.ts";

/** Emscripten's pthread pool in tfjs's build holds 8 workers. */
const MAX_THREADS = 8;
/** How long the threaded build may take to start before we fall back. */
const THREADED_START_TIMEOUT_MS = 30_000;

/** What runs after {@linkcode initWasmBackend}. */
export interface WasmBackendInfo {
  /** XNNPACK threads in use. */
  threads: number;
  /** Whether the SIMD build runs. */
  simd: boolean;
  /** @tensorflow/tfjs-backend-wasm version. */
  version: string;
  /** Why fewer threads run than were asked for; absent when all were granted. */
  fallback?: string;
}

/** Options of {@linkcode initWasmBackend}. */
export interface InitWasmOptions {
  /** XNNPACK threads, an integer from 1 to 8. @default logical cores, at most 8 */
  threads?: number;
}

/** A `node:worker_threads` Worker, as far as this module uses it. */
interface PoolWorker {
  unref(): void;
  terminate(): unknown;
}

/**
 * Makes "wasm" the tfjs backend, threaded where possible, and registers the
 * training kernels. Call it once, before any other code selects "wasm";
 * calling it again returns the running backend's info (the thread count of a
 * started backend cannot change within a process).
 *
 * @param options `threads`: XNNPACK threads (1-8); default all logical cores, at most 8.
 * @returns Threads in use, SIMD, version, and the reason for any fallback to
 *   fewer threads (for example when workers cannot start).
 * @example
 * ```ts
 * const info = await initWasmBackend({ threads: 2 });
 * console.assert(tf.getBackend() === "wasm" && info.threads >= 1);
 * ```
 */
export async function initWasmBackend(options: InitWasmOptions = {}): Promise<WasmBackendInfo> {
  const requested = resolveThreads(options.threads);
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") as boolean;
  let fallback: string | undefined;
  if (tf.engine().registry.wasm == null) {
    const packageDir = dirname(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm")));
    tfWasm.setWasmPaths(join(packageDir, "dist") + "/");
    if (requested > 1 && !simd) {
      fallback = "This runtime lacks wasm SIMD, and tfjs builds threads only with SIMD; running on 1 thread";
    } else if (requested > 1) {
      fallback = await startThreaded(requested, join(packageDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js"));
    }
  }
  if (!(await tf.setBackend("wasm"))) {
    throw new BackendError("The wasm backend failed to start; see the tfjs warning above for the cause");
  }
  registerWasmTrainingKernels();
  const threads = tfWasm.getThreadsCount();
  if (fallback == null && threads < requested) {
    fallback = `The wasm backend was already started with ${threads} thread(s) in this process; ` +
      `start a new process to use ${requested}`;
  }
  return { threads, simd, version: tfWasm.version_wasm, ...(fallback == null ? {} : { fallback }) };
}

function resolveThreads(threads: number | undefined): number {
  if (threads == null) return Math.min(Math.max(os.cpus().length, 1), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ConfigError(
      `Wasm threads ${threads} is not an integer from 1 to ${MAX_THREADS}; pass threads in that range or leave it out`,
    );
  }
  return threads;
}

/** Starts the threaded build; returns why it fell back to 1 thread, or undefined. */
async function startThreaded(threads: number, gluePath: string): Promise<string | undefined> {
  let workerPath: string;
  try {
    workerPath = await writePthreadWorker(gluePath);
  } catch (error) {
    return `The pthread worker script could not be written (${describe(error)}); running on 1 thread`;
  }
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  tfWasm.setThreadsCount(threads);
  const workers: PoolWorker[] = [];
  const restore = patchGlobalsWhileStarting(workerPath, threads, workers);
  let failure: string | undefined;
  try {
    if (!(await withTimeout(tf.setBackend("wasm"), THREADED_START_TIMEOUT_MS))) failure = "tfjs logged the cause above";
  } catch (error) {
    failure = describe(error);
  } finally {
    restore();
  }
  if (failure == null) {
    // Idle pthreads must not keep the process alive once the work is done.
    for (const worker of workers) worker.unref();
    return undefined;
  }
  for (const worker of workers) worker.terminate();
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tfWasm.setThreadsCount(1);
  return `The threaded wasm build did not start (${failure}); running on 1 thread`;
}

/** Applies the three start-up workarounds; returns a function that undoes them. */
function patchGlobalsWhileStarting(workerPath: string, threads: number, workers: PoolWorker[]): () => void {
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (object: Blob) =>
    object instanceof Blob && object.type === "application/javascript" ? workerPath : createObjectURL(object);

  // tfjs's C++ side caps the pool at half the logical cores it is told about.
  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus();
    const template = real[0] ?? { model: "", speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } };
    return [...real, ...Array.from({ length: Math.max(0, 2 * threads - real.length) }, () => template)];
  };

  // Emscripten assigns node's Worker to the global `Worker`; track what it creates, then put Deno's back.
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, "Worker");
  let current: unknown = globalThis.Worker;
  Object.defineProperty(globalThis, "Worker", {
    configurable: true,
    get: () => current,
    set: (WorkerClass: new (...args: unknown[]) => PoolWorker) => {
      current = function TrackedWorker(...args: unknown[]) {
        const worker = new WorkerClass(...args);
        workers.push(worker);
        return worker;
      };
    },
  });

  return () => {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
    if (descriptor != null) Object.defineProperty(globalThis, "Worker", descriptor);
    else delete (globalThis as { Worker?: unknown }).Worker;
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
