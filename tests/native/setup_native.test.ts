// Runs where `deno task setup:native` has run (CI runs it): a second run finds
// every step done, and the check in a fresh process trains a step on TensorFlow.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { loadTfjsNode } from "../../src/backend/_load_tfjs_node.ts";
import { addonLocation } from "../../src/native/build_tfjs_addon.ts";
import { nativeLayout, TENSORFLOW_VERSION } from "../../src/native/native_layout.ts";
import { setupNative } from "../../src/native/setup_native.ts";

const node = await loadTfjsNode();

describe.runIf(node.loaded)("setupNative on a checkout where it has run (skipped without deno task setup:native)", () => {
  it("does nothing again but check, and the check trains a step on TensorFlow", async () => {
    const lines: string[] = [];
    const check = await setupNative(process.cwd(), { log: (line) => lines.push(line) });
    expect(lines.filter((line) => line.includes("already"))).toHaveLength(3);
    expect(lines.join("\n")).not.toMatch(/Installing|Compiling|Creating/);
    expect(check.tensorflowVersion).toBe(TENSORFLOW_VERSION);
    expect(check.tfjsNodeVersion).toBe("4.22.0");
    expect(check.stepMilliseconds).toBeGreaterThan(0);
    expect(check.node).toEqual({ tensorflowVersion: TENSORFLOW_VERSION });
    expect(lines.at(-1)).toBe("Undo: deno task setup:native --undo (removes " + nativeLayout(process.cwd(), { gpu: false }).venvDir +
      " and @tensorflow/tfjs-node).");
  }, 120_000);

  it("built the addon where tfjs-node's loader looks, against the wheel, as its stamp records", () => {
    const layout = nativeLayout(process.cwd(), { gpu: false });
    const { addonPath, napiVersion } = addonLocation(layout);
    const stamp = JSON.parse(readFileSync(layout.stampPath, "utf8"));
    expect(addonPath).toMatch(new RegExp(`/lib/napi-v${napiVersion}/tfjs_binding\\.node$`));
    expect(stamp.tensorflow).toBe(TENSORFLOW_VERSION);
    expect(stamp.args).toContain(`-DNAPI_VERSION=${napiVersion}`);
    expect(stamp.args).toContain("-l:libtensorflow_cc.so.2");
  });
});
