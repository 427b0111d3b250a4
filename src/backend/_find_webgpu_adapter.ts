/**
 * Asks the runtime for a WebGPU adapter without creating a device.
 *
 * @module
 */
import type { AdapterSummary } from "./backend_info.ts";
import { type AdapterInfoLike, summarizeAdapter } from "./_summarize_adapter.ts";

/** What {@linkcode findWebGpuAdapter} found. */
export type AdapterSearch =
  | { found: true; adapter: AdapterSummary }
  | { found: false; why: string };

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<
    { info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null
  >;
}

/**
 * Requests the high-performance adapter, the one tfjs-backend-webgpu will
 * take, and summarises it. The adapter is only inspected: tfjs requests its
 * own when the backend starts, because an adapter hands out one device.
 *
 * @returns The adapter's summary, or why there is none.
 * @example
 * ```ts
 * const search = await findWebGpuAdapter();
 * console.log(search.found ? search.adapter.name : search.why);
 * ```
 */
export async function findWebGpuAdapter(): Promise<AdapterSearch> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { found: false, why: "this runtime has no navigator.gpu" };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return { found: false, why: "navigator.gpu.requestAdapter() gave no adapter" };
    return { found: true, adapter: summarizeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter) };
  } catch (error) {
    return { found: false, why: `navigator.gpu.requestAdapter() failed: ${(error as Error).message}` };
  }
}
