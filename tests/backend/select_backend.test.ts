import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { summarizeAdapter } from "../../src/backend/_summarize_adapter.ts";
import { findWebGpuAdapter } from "../../src/backend/_find_webgpu_adapter.ts";
import { loadTfjsNode } from "../../src/backend/_load_tfjs_node.ts";
import { BackendError } from "../../src/core/errors.ts";
import { fusedBatchNormGrad } from "../../src/backend/wasm_kernels/fused_batch_norm_grad.ts";

// What this machine has decides which of the suites below run; each suite's
// name says what it needs, so a skip explains itself.
const search = await findWebGpuAdapter();
const adapter = search.found ? search.adapter : undefined;
const tfjsNode = await loadTfjsNode();

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("selectBackend by name", () => {
  it("rejects an unknown name and lists the known ones", async () => {
    await expect(selectBackend("gpu")).rejects.toThrow(BackendError);
    await expect(selectBackend("gpu")).rejects.toThrow('Unknown backend "gpu"; known: auto, wasm, webgpu, tensorflow, cpu');
  });

  it("starts cpu and reports the tfjs versions", async () => {
    const info = await selectBackend("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(info).toMatchObject({ name: "cpu", requested: "cpu", version: { tfjs: tf.version.tfjs } });
    expect(info.reason).toMatch(/^Asked for by name/);
  });

  it("prints one line naming the backend and its reason through log", async () => {
    const lines: string[] = [];
    const info = await selectBackend("cpu", { log: (line) => lines.push(line) });
    expect(lines).toEqual([`Backend cpu (asked: cpu): ${info.reason} [tfjs ${tf.version.tfjs}, tfjs-backend-cpu ${tf.version.tfjs}]`]);
  });

  it("starts wasm with the thread count it was given", async () => {
    const info = await selectBackend("wasm", { threads: 1 });
    expect(tf.getBackend()).toBe("wasm");
    expect(info).toMatchObject({ name: "wasm", threads: 1, version: { "tfjs-backend-wasm": tf.version.tfjs } });
    expect(typeof info.simd).toBe("boolean");
  });
});

describe.skipIf(!adapter)("selectBackend webgpu (needs a WebGPU adapter, e.g. lavapipe from mesa-vulkan-drivers)", () => {
  it("starts webgpu and records the adapter", async () => {
    const info = await selectBackend("webgpu");
    expect(tf.getBackend()).toBe("webgpu");
    expect(info.adapter).toEqual(adapter);
    expect(info.version["tfjs-backend-webgpu"]).toBe(tf.version.tfjs);
    expect(await tf.add(tf.ones([512]), 1).data()).toEqual(new Float32Array(512).fill(2));
  });
});

describe.runIf(!adapter)("selectBackend webgpu without an adapter (runs only on machines with no WebGPU adapter)", () => {
  it("says to install a Vulkan driver or use a GPU machine", async () => {
    await expect(selectBackend("webgpu")).rejects.toThrow(/Backend "webgpu" is not available: .*install a Vulkan driver/);
  });
});

describe.skipIf(tfjsNode.loaded)("selectBackend tensorflow without tfjs-node (runs only where deno task setup:native has not run)", () => {
  it("says how to set it up", async () => {
    await expect(selectBackend("tensorflow")).rejects.toThrow(BackendError);
    await expect(selectBackend("tensorflow")).rejects.toThrow(
      /Backend "tensorflow" is not available: .*tfjs-node.*; run deno task setup:native \(TensorFlow from PyPI/,
    );
  });
});

describe.skipIf(!tfjsNode.loaded)("selectBackend tensorflow (needs deno task setup:native)", () => {
  it("starts the native backend by name and auto prefers it", async () => {
    expect((await selectBackend("tensorflow")).name).toBe("tensorflow");
    expect((await selectBackend("auto")).name).toBe("tensorflow");
  });

  it("records the TensorFlow library behind it and whether it uses a GPU", async () => {
    const info = await selectBackend("tensorflow");
    expect(info.version.tensorflow).toMatch(/^2\.\d+\.\d+/);
    expect(info.version["tfjs-node"]).toBe("4.22.0");
    expect(typeof info.usesGpu).toBe("boolean");
    expect(info.reason).toMatch(/on the (CPU|GPU)$/);
  });
});

describe.runIf(!tfjsNode.loaded && !(adapter && !adapter.isFallback))(
  "selectBackend auto (runs only without tfjs-node and without a hardware GPU)",
  () => {
    it("chooses wasm and says what it passed over", async () => {
      const info = await selectBackend("auto", { threads: 1 });
      expect(info.name).toBe("wasm");
      expect(info.requested).toBe("auto");
      expect(info.reason).toContain("tfjs-node is not installed (npx deno task setup:native builds it");
      expect(info.reason).toContain(adapter ? `"${adapter.name}" is a software renderer` : "there is no WebGPU adapter");
      expect(info.reason).toMatch(/so wasm runs with 1 thread/);
    });
  },
);

describe.runIf(!tfjsNode.loaded && adapter && !adapter.isFallback)("selectBackend auto with a hardware GPU (needs a hardware WebGPU adapter and no tfjs-node)", () => {
  it("chooses webgpu", async () => {
    expect((await selectBackend("auto")).name).toBe("webgpu");
  });
});

describe("summarizeAdapter", () => {
  it("flags Mesa's llvmpipe (lavapipe) as a software adapter", () => {
    expect(summarizeAdapter({ vendor: "65541", architecture: "", device: "0", description: "llvmpipe (LLVM 15.0.6, 256 bits)" }))
      .toEqual({ name: "llvmpipe (LLVM 15.0.6, 256 bits)", vendor: "65541", architecture: "", isFallback: true });
  });

  it("flags SwiftShader by its vendor and device ids", () => {
    expect(summarizeAdapter({ vendor: "6880", device: "49374", description: "" }).isFallback).toBe(true);
  });

  it("flags an adapter the runtime marks as fallback", () => {
    expect(summarizeAdapter({ vendor: "4318", description: "Some GPU" }, true).isFallback).toBe(true);
  });

  it("takes an NVIDIA adapter for a hardware GPU", () => {
    expect(summarizeAdapter({ vendor: "4318", architecture: "hopper", device: "8961", description: "NVIDIA H100 80GB HBM3" }))
      .toEqual({ name: "NVIDIA H100 80GB HBM3", vendor: "4318", architecture: "hopper", isFallback: false });
  });

  it("names an adapter without a description by its ids", () => {
    expect(summarizeAdapter({ vendor: "0x1002", architecture: "rdna-3", device: "0x744c" }).name).toBe("0x1002 rdna-3 0x744c");
  });
});

describe("selectBackend and gradients", () => {
  it("registers the project's batch-norm gradient whatever backend is chosen", async () => {
    await selectBackend("cpu");
    expect(tf.getGradient("FusedBatchNorm")).toBe(fusedBatchNormGrad);
  });
});
