import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

/**
 * Starts the tensorflow backend in a fresh Deno process with exactly the given
 * TF_CPP_MIN_LOG_LEVEL and FER_VERBOSE (unset when undefined) and returns its
 * stdout and stderr together, so the notices TensorFlow writes natively are captured.
 */
function startupOutput(vars: { TF_CPP_MIN_LOG_LEVEL?: string; FER_VERBOSE?: string }): string {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const script = `import { selectBackend } from "./src/backend/select_backend.ts"; await selectBackend("tensorflow"); console.error("started");`;
  // `env -u` because a child's env option is merged with this process's environment here,
  // and this process already set TF_CPP_MIN_LOG_LEVEL when it loaded tfjs-node.
  const entries = Object.entries(vars);
  const assignments = [
    ...entries.filter(([, value]) => value === undefined).map(([name]) => `-u ${name}`),
    ...entries.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${value}`),
  ];
  return execFileSync("/bin/sh", ["-c", `env ${assignments.join(" ")} "${process.execPath}" eval '${script}' 2>&1`], {
    cwd: root,
    timeout: 60_000,
    encoding: "utf8",
  });
}

describe.skipIf(!PARITY_BACKENDS.includes("tensorflow"))(`TensorFlow's start-up notices${SKIPPED_TENSORFLOW}`, () => {
  it("are hidden by default", () => {
    const out = startupOutput({ TF_CPP_MIN_LOG_LEVEL: undefined, FER_VERBOSE: undefined });
    expect(out).toContain("started");
    expect(out).not.toContain("cpu_feature_guard");
  });
  it("show with FER_VERBOSE=1", () => {
    expect(startupOutput({ TF_CPP_MIN_LOG_LEVEL: undefined, FER_VERBOSE: "1" })).toContain("cpu_feature_guard");
  });
  it("follow TF_CPP_MIN_LOG_LEVEL when the user set it", () => {
    expect(startupOutput({ TF_CPP_MIN_LOG_LEVEL: "0", FER_VERBOSE: undefined })).toContain("cpu_feature_guard");
    expect(startupOutput({ TF_CPP_MIN_LOG_LEVEL: "3", FER_VERBOSE: "1" })).toBe("started\n");
  });
});
