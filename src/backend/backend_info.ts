/**
 * What a run records about the tensor backend it used.
 *
 * @module
 */

import type { MathPrecision } from "./math_precision.ts";

/**
 * The names {@linkcode BackendRequest} accepts, in the order errors list them.
 *
 * @example
 * ```ts
 * console.assert(BACKEND_REQUESTS.includes("webgpu"));
 * ```
 */
export const BACKEND_REQUESTS = Object.freeze(["auto", "wasm", "webgpu", "tensorflow", "cpu"] as const);

/** A backend asked for by name, or `auto` to take the fastest available one. */
export type BackendRequest = typeof BACKEND_REQUESTS[number];

/** A backend that can be active: every request but `auto`. */
export type BackendName = Exclude<BackendRequest, "auto">;

/** The WebGPU adapter a `webgpu` backend runs on, as the adapter reports it. */
export interface AdapterSummary {
  /** A readable name: the adapter's description, else its device id. */
  name: string;
  /** Vendor as reported (a PCI id such as "0x10de", or a name). */
  vendor: string;
  /** Architecture as reported; often empty. */
  architecture: string;
  /** True for a software adapter (lavapipe/llvmpipe, SwiftShader, WARP) or one the browser marks as fallback. */
  isFallback: boolean;
}

/**
 * The backend a run uses and why; printed when chosen and stored in the
 * run's manifest.
 *
 * @example
 * ```ts
 * const info: BackendInfo = {
 *   name: "wasm",
 *   requested: "auto",
 *   reason: "tfjs-node is not installed; there is no WebGPU adapter, so wasm runs with 2 threads and SIMD",
 *   version: { tfjs: "4.22.0", "tfjs-backend-wasm": "4.22.0" },
 *   threads: 2,
 *   simd: true,
 *   precision: { requested: "float32", used: "float32", note: "float32 throughout" },
 * };
 * console.assert(JSON.parse(JSON.stringify(info)).name === "wasm");
 * ```
 */
export interface BackendInfo {
  /** The active backend. */
  name: BackendName;
  /** What was asked for (`auto` or a name). */
  requested: BackendRequest;
  /** Why this backend was chosen, as a sentence. */
  reason: string;
  /** Package versions: `tfjs` and the backend's own package (for tensorflow also `tensorflow`, the library behind it). */
  version: Record<string, string>;
  /** The WebGPU adapter (webgpu only). */
  adapter?: AdapterSummary;
  /** Worker threads (wasm only). */
  threads?: number;
  /** Whether wasm SIMD is in use (wasm only). */
  simd?: boolean;
  /** Whether TensorFlow runs ops on a GPU (tensorflow only; tfjs-node-gpu falls back to the CPU without CUDA). */
  usesGpu?: boolean;
  /** Whether TensorFlow's CPU kernels use oneDNN (tensorflow only; off for models whose training crashes it). */
  oneDnn?: boolean;
  /**
   * The float math of the kernels: what the config asked for, what runs, and
   * why they differ (bf16 needs native TensorFlow on a CPU with bf16 units).
   */
  precision: { requested: MathPrecision; used: MathPrecision; note: string };
}

/**
 * A backend's short name for tables and summaries: its name, with " bf16"
 * when its kernels computed in bf16 (older manifests have no precision).
 *
 * @param backend A manifest's `backend` record (or undefined when it is missing).
 * @returns For example "tensorflow", "tensorflow bf16", or "?" without a name.
 * @example
 * ```ts
 * console.assert(backendLabel({ name: "tensorflow", precision: { used: "bf16" } }) === "tensorflow bf16");
 * ```
 */
export function backendLabel(backend: Record<string, unknown> | undefined): string {
  if (typeof backend?.name !== "string") return "?";
  const used = (backend.precision as { used?: unknown } | undefined)?.used;
  return used === "bf16" ? `${backend.name} bf16` : backend.name;
}
