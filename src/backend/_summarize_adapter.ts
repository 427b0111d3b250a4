/**
 * Reads what a WebGPU adapter says about itself and decides whether it is a
 * real GPU or a software renderer.
 *
 * @module
 */
import type { AdapterSummary } from "./backend_info.ts";

/** The fields of `GPUAdapterInfo` this module reads (all optional in practice). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

// Software renderers, matched on vendor/architecture/device/description:
// Mesa's llvmpipe (lavapipe on Vulkan) and softpipe, Google's SwiftShader,
// Microsoft's WARP ("Basic Render Driver").
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|basic render|\bwarp\b/i;
// Vulkan vendor ids of software drivers: Mesa (VK_VENDOR_ID_MESA, 0x10005) and
// SwiftShader's Google id 0x1ae0 with device 0xc0de. Deno reports them in decimal.
const MESA_VENDOR = ["65541", "0x10005"];

/**
 * Summarises an adapter's info and flags software adapters.
 *
 * @param info The adapter's `info` (Deno: `adapter.info`).
 * @param isFallbackAdapter The adapter's own fallback flag, where the runtime has one.
 * @returns Name, vendor, architecture and whether it is a software fallback.
 * @example
 * ```ts
 * const s = summarizeAdapter({ vendor: "65541", description: "llvmpipe (LLVM 15.0.6, 256 bits)" });
 * console.assert(s.isFallback && s.name.startsWith("llvmpipe"));
 * ```
 */
export function summarizeAdapter(info: AdapterInfoLike, isFallbackAdapter = false): AdapterSummary {
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const device = info.device ?? "";
  const description = info.description ?? "";
  const text = [vendor, architecture, device, description].join(" ");
  const swiftShader = /^(0x)?1ae0$|^6880$/i.test(vendor) && /^(0x)?c0de$|^49374$/i.test(device);
  const isFallback = isFallbackAdapter || info.isFallbackAdapter === true ||
    SOFTWARE_NAMES.test(text) || MESA_VENDOR.includes(vendor.toLowerCase()) || swiftShader;
  const name = description || [vendor, architecture, device].filter((s) => s !== "").join(" ") ||
    "unnamed adapter";
  return { name, vendor, architecture, isFallback };
}
