import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Output (stdout and stderr) of a fresh Deno process that runs `script` in the project root. */
function output(script: string): string {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  return execFileSync("/bin/sh", ["-c", `"${process.execPath}" eval '${script}' 2>&1`], { cwd: root, timeout: 60_000, encoding: "utf8" });
}

describe("selectBackend(\"cpu\")", () => {
  it("leaves out tfjs's tfjs-node banner, keeps other warnings, and computes", () => {
    const out = output(
      `import { selectBackend } from "./src/backend/select_backend.ts"; import * as tf from "@tensorflow/tfjs"; ` +
        `await selectBackend("cpu"); console.warn("other warning"); console.log("sum", tf.tensor1d([1, 2]).sum().dataSync()[0]);`,
    );
    expect(out).toContain("sum 3");
    expect(out).toContain("other warning");
    expect(out).not.toContain("looks like you are running TensorFlow.js");
  });

  it("is needed: tfjs's cpu backend alone prints the banner", () => {
    const out = output(`import * as tf from "@tensorflow/tfjs"; await tf.setBackend("cpu"); tf.scalar(1).dataSync();`);
    expect(out).toContain("looks like you are running TensorFlow.js");
  });
});
