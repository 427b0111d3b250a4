/**
 * Starts tfjs's WebGPU backend on the runtime's WebGPU (Deno: wgpu).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { BackendError } from "../core/errors.ts";

/**
 * Loads @tensorflow/tfjs-backend-webgpu (importing it registers the backend
 * when `navigator.gpu` exists) and makes it the active backend.
 *
 * Reading results must be asynchronous on this backend (`await t.data()`):
 * `dataSync()` needs an OffscreenCanvas, which Deno does not have.
 *
 * @returns The backend package's version.
 * @throws {BackendError} When the backend cannot start.
 * @example
 * ```ts
 * const { version } = await startWebGpu();
 * console.assert(tf.getBackend() === "webgpu" && version.length > 0);
 * ```
 */
export async function startWebGpu(): Promise<{ version: string }> {
  await import("@tensorflow/tfjs-backend-webgpu");
  let started = false;
  let cause = "";
  try {
    started = await tf.setBackend("webgpu");
  } catch (error) {
    cause = `: ${(error as Error).message}`;
  }
  if (!started) {
    throw new BackendError(
      `Backend "webgpu" did not start${cause}; check the Vulkan driver (vulkaninfo), ` +
        `or use "wasm"`,
    );
  }
  // The package exports no version constant, unlike tfjs-backend-wasm.
  const { version } = createRequire(import.meta.url)("@tensorflow/tfjs-backend-webgpu/package.json") as { version: string };
  return { version };
}
