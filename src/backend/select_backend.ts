/**
 * The backend switch: one call picks, starts and reports the tensor backend.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../core/errors.ts";
import { BACKEND_REQUESTS, type BackendInfo, type BackendName, type BackendRequest } from "./backend_info.ts";
import { cpuBf16Flags, type MathPrecision, ONEDNN_FPMATH_ENV, ONEDNN_OPTS_ENV } from "./math_precision.ts";
import { findWebGpuAdapter } from "./_find_webgpu_adapter.ts";
import { registerTensorflowKernels } from "./register_tensorflow_kernels.ts";
import { loadTfjsNode } from "./_load_tfjs_node.ts";
import { startWebGpu } from "./_start_webgpu.ts";
import { initWasmBackend } from "./init_wasm.ts";
import { registerTrainingGradients } from "./register_wasm_training_kernels.ts";

/** Options of {@linkcode selectBackend}. */
export interface SelectBackendOptions {
  /** Worker threads of the wasm backend. @default initWasmBackend's default (the machine's cores) */
  threads?: number;
  /** Receives one line saying which backend was chosen and why. @default nothing is printed */
  log?: (line: string) => void;
  /**
   * The float math of the kernels (src/backend/math_precision.ts). `bf16` acts
   * on native TensorFlow's CPU kernels on a CPU with bf16 units; elsewhere the
   * run computes in float32 and the returned `precision.note` says why.
   * @default "float32"
   */
  precision?: MathPrecision;
  /**
   * Whether native TensorFlow's CPU kernels may use oneDNN. false (for a model
   * whose training crashes them) turns it off when tfjs-node first loads in
   * the process, and refuses a process where it already runs with oneDNN.
   * Other backends ignore it. @default true
   */
  oneDnn?: boolean;
}

/** A backend's facts before the precision is settled. */
type StartedBackend = Omit<BackendInfo, "precision">;

const TFJS_NODE_HELP = "run deno task setup:native (TensorFlow from PyPI, tfjs-node built against it; " +
  `add --gpu for CUDA; bench/README.md "Native TensorFlow backend"), or use "wasm"`;
const VULKAN_HELP = "install a Vulkan driver (on Debian, apt-get install mesa-vulkan-drivers gives a CPU " +
  `test adapter) or run on a machine with a GPU, or use "wasm"`;

/**
 * Picks and starts a tensor backend, and says why.
 *
 * `auto` takes, in order: tfjs-node-gpu or tfjs-node when installed (native
 * TensorFlow); WebGPU when the adapter is a hardware GPU (a software renderer
 * such as lavapipe is slower than wasm); otherwise wasm. A name starts that
 * backend or fails with a {@linkcode BackendError} saying how to get it.
 *
 * @param request `auto`, `wasm`, `webgpu`, `tensorflow` or `cpu`.
 * @param options Wasm threads, a log callback and the float precision.
 * @returns What runs, why, the package versions and the precision, for the run manifest.
 * @throws {BackendError} For an unknown name, a backend that is not available,
 *   or native TensorFlow already computing in this process with another precision.
 * @example
 * ```ts
 * const info = await selectBackend("cpu");
 * console.assert(info.name === "cpu" && tf.getBackend() === "cpu");
 * ```
 */
export async function selectBackend(request: string, options: SelectBackendOptions = {}): Promise<BackendInfo> {
  if (!(BACKEND_REQUESTS as readonly string[]).includes(request)) {
    throw new BackendError(
      `Unknown backend "${request}"; known: ${BACKEND_REQUESTS.join(", ")}`,
    );
  }
  const requested = request as BackendRequest;
  // Gradients are global in tfjs: register ours whatever the backend, so a
  // run's numbers never depend on whether wasm was started earlier.
  registerTrainingGradients();
  const precision = options.precision ?? "float32";
  const started = requested === "auto" ? await chooseBackend(options) : await startNamed(requested, options);
  if (started.name === "tensorflow") started.oneDnn = await settleOneDnn(started, options.oneDnn ?? true);
  const info = { ...started, precision: await settlePrecision(started, precision) };
  options.log?.(describeBackend(info));
  return info;
}

/**
 * Whether native TensorFlow's CPU kernels use oneDNN, as the process's first
 * load fixed it; refuses oneDNN when the caller asked for it off.
 */
async function settleOneDnn(started: StartedBackend, allowed: boolean): Promise<boolean> {
  const node = await loadTfjsNode();
  const oneDnn = node.loaded ? node.oneDnn : true;
  if (oneDnn && !allowed && !started.usesGpu) {
    throw new BackendError(
      `Native TensorFlow in this process computes with oneDNN, and this model's training crashes oneDNN's kernels ` +
        `(a "double free or corruption" abort within the first epoch); the library keeps oneDNN on once loaded: run the ` +
        `config in a command of its own (deno task fer run <config>), restart the notebook kernel before it, or use backend "wasm"`,
    );
  }
  return oneDnn;
}

/**
 * What float math the started backend computes with. Only oneDNN (native
 * TensorFlow on the CPU) has a bf16 mode; asking bf16 elsewhere runs float32
 * and says so, so a bf16 config still runs on a machine without it.
 */
async function settlePrecision(started: StartedBackend, requested: MathPrecision): Promise<BackendInfo["precision"]> {
  const float32 = (note: string) => ({ requested, used: "float32" as const, note });
  if (started.name !== "tensorflow") {
    return requested === "float32"
      ? float32("float32 throughout")
      : float32(`bf16 asked, but the ${started.name} backend has no bf16 math (native TensorFlow on a CPU with bf16 units has): float32 runs`);
  }
  if (started.oneDnn === false) {
    return requested === "float32"
      ? float32("float32 throughout")
      : float32(`bf16 asked, but oneDNN, which computes bf16, is off for this model (${ONEDNN_OPTS_ENV}=0): float32 runs`);
  }
  // Loaded already: this returns the precision of the process's first load.
  const node = await loadTfjsNode();
  const loaded = node.loaded ? node.precision : null;
  if (loaded !== requested) {
    const what = loaded === null ? `a oneDNN mode set in ${ONEDNN_FPMATH_ENV} that is neither float32 nor bf16` : loaded;
    throw new BackendError(
      `Native TensorFlow in this process already computes with ${what}, and oneDNN keeps the mode it started with; ` +
        `precision "${requested}" needs a fresh process: run that config in a command of its own (deno task fer run <config>; ` +
        `an ensemble's members of other precisions first, each on its own), or restart the notebook kernel`,
    );
  }
  if (requested === "float32") return float32("float32 throughout");
  if (started.usesGpu) return float32("bf16 asked, but bf16 acts on oneDNN's CPU kernels and this run's ops are on the GPU: float32 runs");
  const flags = cpuBf16Flags();
  if (flags.length === 0) {
    return float32("bf16 asked, but this CPU has no bf16 units (no amx_bf16 or avx512_bf16 flag in /proc/cpuinfo): oneDNN computes float32");
  }
  if (!await oneDnnRoundsToBf16()) {
    return float32(
      `bf16 asked, and this CPU has ${flags.join(", ")}, but oneDNN computed a probe convolution in float32 in ${ONEDNN_FPMATH_ENV}=BF16 ` +
        "(on the CPUs measured here it does so with AMX, amx_bf16, only): float32 runs",
    );
  }
  return {
    requested,
    used: "bf16",
    note: `oneDNN computes convolutions and matmuls with bf16 inputs and float32 sums (${ONEDNN_FPMATH_ENV}=BF16; CPU ${flags.join(", ")}; checked on a probe convolution)`,
  };
}

let probedBf16: boolean | undefined;

/**
 * Whether oneDNN really rounds convolution inputs to bf16 in this process. A
 * CPU flag is not enough: on an AMD EPYC with avx512_bf16 but no AMX
 * (2026-12-04), BF16 mode left every convolution and matmul in float32, and a
 * manifest must not say bf16 then. Sixteen channels of 1 + 2^-10 under a 3x3
 * kernel of ones sum to 144.140625 in float32 and to 144 from bf16 inputs (8
 * bits of mantissa drop the 2^-10). The mode is fixed per process, so the
 * answer is kept.
 */
async function oneDnnRoundsToBf16(): Promise<boolean> {
  if (probedBf16 === undefined) {
    const sum = tf.tidy(() => tf.conv2d(tf.fill([1, 4, 4, 16], 1 + 2 ** -10) as tf.Tensor4D, tf.ones([3, 3, 16, 8]) as tf.Tensor4D, 1, "same"));
    probedBf16 = (await sum.data())[5 * 8] === 144;
    sum.dispose();
  }
  return probedBf16;
}

async function startNamed(name: BackendName, options: SelectBackendOptions): Promise<StartedBackend> {
  const byName = "Asked for by name";
  switch (name) {
    case "cpu":
      await tf.setBackend("cpu");
      dropNodeNotice();
      return {
        name,
        requested: name,
        reason: `${byName}; the plain JavaScript reference backend, correct but slow`,
        version: { tfjs: tf.version.tfjs, "tfjs-backend-cpu": tf.version["tfjs-backend-cpu"] },
      };
    case "wasm":
      return await startWasm(name, byName, options);
    case "webgpu": {
      const search = await findWebGpuAdapter();
      if (!search.found) {
        throw new BackendError(`Backend "webgpu" is not available: ${search.why}; ${VULKAN_HELP}`);
      }
      const { version } = await startWebGpu();
      const kind = search.adapter.isFallback ? "a software renderer, slower than wasm" : "a hardware GPU";
      return {
        name,
        requested: name,
        reason: `${byName}; WebGPU adapter "${search.adapter.name}" is ${kind}`,
        version: { tfjs: tf.version.tfjs, "tfjs-backend-webgpu": version },
        adapter: search.adapter,
      };
    }
    case "tensorflow": {
      const node = await loadTfjsNode(options.precision ?? "float32", { oneDnn: options.oneDnn });
      if (!node.loaded) {
        throw new BackendError(`Backend "tensorflow" is not available: ${node.why}; ${TFJS_NODE_HELP}`);
      }
      return await startTensorflow(name, `${byName}; ${node.packageName} runs native TensorFlow`, node.version);
    }
  }
}

/**
 * The cpu backend greets its first tensor under Node with a banner that
 * points to tfjs-node; the workbench's own backend line already says how to
 * get the native backend, so the first tensor is written here with that
 * banner (and only it) left out.
 */
function dropNodeNotice(): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes("looks like you are running TensorFlow.js in Node.js")) warn(...args);
  };
  try {
    tf.scalar(0).dispose();
  } finally {
    console.warn = warn;
  }
}

async function chooseBackend(options: SelectBackendOptions): Promise<StartedBackend> {
  const node = await loadTfjsNode(options.precision ?? "float32", { oneDnn: options.oneDnn });
  if (node.loaded) {
    return await startTensorflow(
      "auto",
      `${node.packageName} is installed, and native TensorFlow is the fastest path`,
      node.version,
    );
  }
  // Said once per command, in the backend line: how to get the 3-4x faster native path.
  const passedOver = [node.installed ? node.why : "tfjs-node is not installed (npx deno task setup:native builds it: 3-4x faster training on the CPU)"];
  const search = await findWebGpuAdapter();
  if (search.found && !search.adapter.isFallback) {
    try {
      const { version } = await startWebGpu();
      return {
        name: "webgpu",
        requested: "auto",
        reason: `${passedOver[0]}, and WebGPU adapter "${search.adapter.name}" is a hardware GPU`,
        version: { tfjs: tf.version.tfjs, "tfjs-backend-webgpu": version },
        adapter: search.adapter,
      };
    } catch (error) {
      passedOver.push((error as Error).message);
    }
  } else {
    passedOver.push(
      search.found
        ? `WebGPU adapter "${search.adapter.name}" is a software renderer, slower than wasm`
        : `there is no WebGPU adapter (${search.why})`,
    );
  }
  return await startWasm("auto", passedOver.join("; "), options);
}

async function startWasm(requested: BackendRequest, why: string, options: SelectBackendOptions): Promise<StartedBackend> {
  const wasm = await initWasmBackend(options.threads === undefined ? {} : { threads: options.threads });
  const how = `wasm runs with ${wasm.threads} thread${wasm.threads === 1 ? "" : "s"}` +
    (wasm.simd ? " and SIMD" : " without SIMD");
  const reason = requested === "auto" ? `${why}, so ${how}` : `${why}; ${how}`;
  return {
    name: "wasm",
    requested,
    reason: wasm.fallback === undefined ? reason : `${reason} (${wasm.fallback})`,
    version: { tfjs: tf.version.tfjs, "tfjs-backend-wasm": wasm.version },
    threads: wasm.threads,
    simd: wasm.simd,
  };
}

async function startTensorflow(requested: BackendRequest, reason: string, version: string): Promise<StartedBackend> {
  if (!(await tf.setBackend("tensorflow"))) {
    throw new BackendError(`Backend "tensorflow" did not start although tfjs-node loaded; ${TFJS_NODE_HELP}`);
  }
  registerTensorflowKernels();
  // tfjs-node's backend object carries its addon, which knows the library it was built against.
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string; isUsingGpuDevice?: () => boolean } }).binding;
  const usesGpu = binding?.isUsingGpuDevice?.() ?? false;
  return {
    name: "tensorflow",
    requested,
    reason: `${reason}, on the ${usesGpu ? "GPU" : "CPU"}`,
    version: { tfjs: tf.version.tfjs, "tfjs-node": version, tensorflow: binding?.TF_Version ?? "unknown" },
    usesGpu,
  };
}

function describeBackend(info: BackendInfo): string {
  const versions = Object.entries(info.version).map(([name, v]) => `${name} ${v}`).join(", ");
  const { requested, used, note } = info.precision;
  const math = requested === "float32" && used === "float32" ? "" : `; precision ${used}: ${note}`;
  const kernels = info.oneDnn === false ? `; oneDNN off (${ONEDNN_OPTS_ENV}=0): Eigen's CPU kernels` : "";
  return `Backend ${info.name} (asked: ${info.requested}): ${info.reason}${kernels}${math} [${versions}]`;
}
