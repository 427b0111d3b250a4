import { describe, expect, it } from "vitest";
import { nativeLayout, TENSORFLOW_VERSION } from "../../src/native/native_layout.ts";

describe("nativeLayout", () => {
  it("keeps the CPU flavour in .native/venv with tensorflow-cpu and tfjs-node", () => {
    const layout = nativeLayout("/repo", { gpu: false });
    expect(layout.venvDir).toBe("/repo/.native/venv");
    expect(layout.python).toBe("/repo/.native/venv/bin/python");
    expect(layout.requirement).toBe(`tensorflow-cpu==${TENSORFLOW_VERSION}`);
    expect(layout.packageDir).toBe("/repo/node_modules/@tensorflow/tfjs-node");
    expect(layout.depsLib).toBe("/repo/node_modules/@tensorflow/tfjs-node/deps/lib");
  });

  it("keeps the GPU flavour apart, with the CUDA wheel and tfjs-node-gpu", () => {
    const layout = nativeLayout("/repo", { gpu: true });
    expect(layout.venvDir).toBe("/repo/.native/venv-gpu");
    expect(layout.requirement).toBe(`tensorflow[and-cuda]==${TENSORFLOW_VERSION}`);
    expect(layout.distribution).toBe("tensorflow");
    expect(layout.packageDir).toBe("/repo/node_modules/@tensorflow/tfjs-node-gpu");
  });
});
