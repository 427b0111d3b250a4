import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { cpuBf16Flags, oneDnnOfOptsValue, precisionOfFpmathMode } from "../../src/backend/math_precision.ts";
import { backendLabel } from "../../src/backend/backend_info.ts";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

describe("cpuBf16Flags", () => {
  it("finds the bf16 units among the flags of /proc/cpuinfo", () => {
    const cpuinfo = "processor\t: 0\nmodel name\t: Xeon\nflags\t\t: fpu sse2 avx512f avx512_bf16 amx_bf16 amx_tile\nbugs\t: none\n";
    expect(cpuBf16Flags(cpuinfo)).toEqual(["amx_bf16", "avx512_bf16"]);
  });
  it("finds none on a CPU without them, and does not take amx_tile or a bugs line for one", () => {
    expect(cpuBf16Flags("flags\t: fpu avx2 amx_tile amx_int8\nbugs\t: amx_bf16\n")).toEqual([]);
    expect(cpuBf16Flags("")).toEqual([]);
  });
});

describe("precisionOfFpmathMode", () => {
  it("reads oneDNN's mode names in any case", () => {
    expect(precisionOfFpmathMode(undefined)).toBe("float32");
    expect(precisionOfFpmathMode("")).toBe("float32");
    expect(precisionOfFpmathMode("strict")).toBe("float32");
    expect(precisionOfFpmathMode("BF16")).toBe("bf16");
    expect(precisionOfFpmathMode("bf16")).toBe("bf16");
    expect(precisionOfFpmathMode("TF32")).toBeNull();
    expect(precisionOfFpmathMode("ANY")).toBeNull();
  });
});

describe("oneDnnOfOptsValue", () => {
  it("reads TF_ENABLE_ONEDNN_OPTS as TensorFlow does: on unless 0 or false", () => {
    expect(oneDnnOfOptsValue(undefined)).toBe(true);
    expect(oneDnnOfOptsValue("1")).toBe(true);
    expect(oneDnnOfOptsValue("0")).toBe(false);
    expect(oneDnnOfOptsValue("False")).toBe(false);
  });
});

describe("backendLabel", () => {
  it("adds bf16 only when the kernels computed in bf16", () => {
    expect(backendLabel({ name: "tensorflow", precision: { requested: "bf16", used: "bf16" } })).toBe("tensorflow bf16");
    expect(backendLabel({ name: "wasm", precision: { requested: "bf16", used: "float32" } })).toBe("wasm");
    expect(backendLabel({ name: "tensorflow" })).toBe("tensorflow");
    expect(backendLabel(undefined)).toBe("?");
  });
});

describe("selectBackend's precision on a backend without bf16 math", () => {
  it("records float32 by default", async () => {
    const info = await selectBackend("cpu");
    expect(info.precision).toEqual({ requested: "float32", used: "float32", note: "float32 throughout" });
  });
  it("runs bf16 as float32 on cpu, says why in the record and in the backend line", async () => {
    const lines: string[] = [];
    const info = await selectBackend("cpu", { precision: "bf16", log: (line) => lines.push(line) });
    expect(tf.getBackend()).toBe("cpu");
    expect(info.precision.requested).toBe("bf16");
    expect(info.precision.used).toBe("float32");
    expect(info.precision.note).toMatch(/the cpu backend has no bf16 math/);
    expect(lines[0]).toMatch(/; precision float32: bf16 asked, but the cpu backend/);
  });
});

/**
 * Runs a fresh Deno process that starts tensorflow with `precisions` in turn
 * (its oneDNN mode is fixed at the first op of a process) and prints, for
 * each, the precision record and a 3x3 convolution of 16 channels of
 * 1 + 2^-10 with weights 1: 144.140625 in float32, 144 when the inputs are
 * rounded to bf16 (8 bits of mantissa), or the error message.
 */
function probe(precisions: (string | { precision: string; oneDnn: boolean })[], env: Record<string, string> = {}): string[] {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const script = `
    import * as tf from "@tensorflow/tfjs";
    import { selectBackend } from "./src/backend/select_backend.ts";
    for (const request of ${JSON.stringify(precisions)}) {
      try {
        const info = await selectBackend("tensorflow", typeof request === "string" ? { precision: request } : request);
        const x = tf.fill([1, 4, 4, 16], 1 + 2 ** -10);
        const y = tf.conv2d(x, tf.ones([3, 3, 16, 8]), 1, "same");
        console.log(JSON.stringify({ ...info.precision, oneDnn: info.oneDnn, value: (await y.data())[5 * 8] }));
      } catch (error) {
        console.log(JSON.stringify({ error: error.name + ": " + error.message }));
      }
    }`;
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${value}`).join(" ");
  const out = execFileSync("/bin/sh", ["-c", `env -u ONEDNN_DEFAULT_FPMATH_MODE -u TF_ENABLE_ONEDNN_OPTS ${assignments} "${process.execPath}" eval '${script}'`], {
    cwd: root,
    timeout: 120_000,
    encoding: "utf8",
  });
  return out.trim().split("\n");
}

const hasBf16 = cpuBf16Flags().length > 0;
const FLOAT32_SUM = 144 * (1 + 2 ** -10);

describe.skipIf(!PARITY_BACKENDS.includes("tensorflow") || !hasBf16)(
  `precision bf16 on native TensorFlow${SKIPPED_TENSORFLOW}${hasBf16 ? "" : " (skipped: this CPU has no amx_bf16 or avx512_bf16)"}`,
  () => {
    it("rounds convolution inputs to bf16 where oneDNN does (AMX) and says float32 where it does not, and float32 keeps them, each in its own process", () => {
      const [bf16] = probe(["bf16"]).map((line) => JSON.parse(line));
      // The record must say what the kernels did: an AMD EPYC with avx512_bf16 and no AMX computed float32 in BF16 mode.
      if (bf16.used === "bf16") {
        expect(bf16).toMatchObject({ requested: "bf16", value: 144 });
        expect(bf16.note).toMatch(/bf16 inputs and float32 sums .*CPU (amx_bf16|avx512_bf16); checked on a probe convolution/);
      } else {
        expect(bf16).toMatchObject({ requested: "bf16", used: "float32", value: FLOAT32_SUM });
        expect(bf16.note).toMatch(/bf16 asked, and this CPU has avx512_bf16, but oneDNN computed a probe convolution in float32/);
      }
      if (cpuBf16Flags().includes("amx_bf16")) expect(bf16.used).toBe("bf16");
      const [float32] = probe(["float32"]).map((line) => JSON.parse(line));
      expect(float32).toMatchObject({ requested: "float32", used: "float32", value: FLOAT32_SUM });
    }, 240_000);

    it("follows the config, not a BF16 left in the environment", () => {
      const [float32] = probe(["float32"], { ONEDNN_DEFAULT_FPMATH_MODE: "BF16" }).map((line) => JSON.parse(line));
      expect(float32).toMatchObject({ used: "float32", value: FLOAT32_SUM });
    }, 120_000);

    it("refuses another precision once the process computed, and says to start a fresh one", () => {
      const [first, second] = probe(["bf16", "float32"]).map((line) => JSON.parse(line));
      // oneDNN's mode is fixed at BF16 whether or not this CPU's kernels act on it.
      expect(first.value).toBe(first.used === "bf16" ? 144 : FLOAT32_SUM);
      expect(second.error).toMatch(/^BackendError: Native TensorFlow in this process already computes with bf16.*precision "float32" needs a fresh process/);
    }, 120_000);
  },
);

describe.skipIf(!PARITY_BACKENDS.includes("tensorflow"))(`oneDNN off for a model that crashes it${SKIPPED_TENSORFLOW}`, () => {
  it("loads TensorFlow without oneDNN when asked first, and then computes float32 even when bf16 is asked", () => {
    const [off] = probe([{ precision: "bf16", oneDnn: false }]).map((line) => JSON.parse(line));
    expect(off).toMatchObject({ requested: "bf16", used: "float32", oneDnn: false, value: FLOAT32_SUM });
    expect(off.note).toMatch(/oneDNN, which computes bf16, is off for this model \(TF_ENABLE_ONEDNN_OPTS=0\)/);
  }, 120_000);

  it("refuses to turn it off in a process where it already runs, and says to start a fresh one", () => {
    const [first, second] = probe(["float32", { precision: "float32", oneDnn: false }]).map((line) => JSON.parse(line));
    expect(first).toMatchObject({ oneDnn: true, value: FLOAT32_SUM });
    expect(second.error).toMatch(/^BackendError: Native TensorFlow in this process computes with oneDNN.*run the config in a command of its own/);
  }, 120_000);

  it("is what an xception_like run asks for, and its manifest records it; a small_cnn run keeps oneDNN", () => {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const run = (family: string) => {
      const script = `
        import { mkdtemp } from "node:fs/promises";
        import { tmpdir } from "node:os";
        import { join } from "node:path";
        import { generateSyntheticDataset } from "./src/data/synthetic_faces.ts";
        import { parseRunConfig } from "./src/experiment/run_config.ts";
        import { runExperiment } from "./src/experiment/run_experiment.ts";
        const dir = await mkdtemp(join(tmpdir(), "fer-onednn-"));
        await generateSyntheticDataset(join(dir, "data"), { perClass: { train: 8, validation: 4, test: 4 }, seed: 1 });
        const config = parseRunConfig({ name: "onednn", backend: "tensorflow", dataset: { root: join(dir, "data") },
          model: { family: "${family}" }, training: { epochs: 1, batchSize: 16 } });
        const { manifest } = await runExperiment(config, { projectRoot: ".", resultsRoot: join(dir, "results"), cacheDir: null,
          log: () => {}, write: () => {}, interactive: false, imagePlots: false });
        console.log(JSON.stringify({ oneDnn: manifest.backend.oneDnn, status: manifest.status }));`;
      const out = execFileSync("/bin/sh", ["-c", `env -u TF_ENABLE_ONEDNN_OPTS "${process.execPath}" eval '${script}'`], {
        cwd: root,
        timeout: 120_000,
        encoding: "utf8",
      });
      return JSON.parse(out.trim().split("\n").at(-1)!);
    };
    expect(run("xception_like")).toEqual({ oneDnn: false, status: "completed" });
    expect(run("small_cnn")).toEqual({ oneDnn: true, status: "completed" });
  }, 240_000);
});
