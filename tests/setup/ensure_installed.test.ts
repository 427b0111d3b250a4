import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/ensure_installed.mjs", import.meta.url));
const NODE = "/usr/bin/node";

/**
 * A fake project: the script, a package-lock.json, fake `npm` and `deno`
 * executables that append their arguments to calls.txt (exiting with `denoExit`).
 */
function fakeProject(options: { installed: boolean; lockNewer?: boolean; nativeBuilt?: boolean; models?: boolean; denoExit?: number }) {
  const root = mkdtempSync(join(tmpdir(), "fer-ensure-"));
  mkdirSync(join(root, "scripts"));
  copyFileSync(SCRIPT, join(root, "scripts", "ensure_installed.mjs"));
  writeFileSync(join(root, "package-lock.json"), "{}");
  const calls = join(root, "calls.txt");
  const fake = (path: string, exit: number) => {
    writeFileSync(path, `#!/bin/sh\necho "$(basename "$0") $*" >> "${calls}"\nexit ${exit}\n`);
    chmodSync(path, 0o755);
  };
  const bin = join(root, "fakebin");
  mkdirSync(bin);
  fake(join(bin, "npm"), 0);
  if (options.installed) {
    mkdirSync(join(root, "node_modules", ".bin"), { recursive: true });
    fake(join(root, "node_modules", ".bin", "deno"), options.denoExit ?? 0);
    writeFileSync(join(root, "node_modules", ".package-lock.json"), "{}");
    const old = new Date(Date.now() - 3_600_000);
    const lock = options.lockNewer ? join(root, "node_modules", ".package-lock.json") : join(root, "package-lock.json");
    utimesSync(lock, old, old);
  }
  if (options.nativeBuilt) {
    mkdirSync(join(root, "node_modules", "@tensorflow", "tfjs-node", "lib", "napi-v8"), { recursive: true });
    writeFileSync(join(root, "node_modules", "@tensorflow", "tfjs-node", "lib", "napi-v8", "tfjs_binding.node"), "");
  }
  if (options.models) mkdirSync(join(root, ".cache", "models", "human-models"), { recursive: true });
  const run = (purpose: string, env: Record<string, string> = {}) => {
    const result = spawnSync(NODE, [join(root, "scripts", "ensure_installed.mjs"), purpose], {
      env: { PATH: `${bin}:/usr/bin:/bin`, ...env },
      encoding: "utf8",
    });
    return { status: result.status, stderr: result.stderr, calls: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [] };
  };
  return { root, run };
}

describe.runIf(existsSync(NODE))("scripts/ensure_installed.mjs (the install step of npm start and npm test)", () => {
  it("does nothing on a set-up project", () => {
    const project = fakeProject({ installed: true, nativeBuilt: true, models: true });
    expect(project.run("test")).toMatchObject({ status: 0, calls: [] });
  });

  it("runs npm ci when node_modules is missing or older than package-lock.json", () => {
    expect(fakeProject({ installed: false, nativeBuilt: true, models: true }).run("main").calls[0]).toBe("npm ci --no-audit --no-fund");
    expect(fakeProject({ installed: true, lockNewer: true, nativeBuilt: true, models: true }).run("main").calls).toEqual([
      "npm ci --no-audit --no-fund",
    ]);
  });

  it("builds the native backend when it is missing, unless FER_NO_NATIVE=1", () => {
    expect(fakeProject({ installed: true, models: true }).run("main").calls).toEqual(["deno task setup:native"]);
    expect(fakeProject({ installed: true, models: true }).run("main", { FER_NO_NATIVE: "1" }).calls).toEqual([]);
  });

  it("remembers a failed native build, goes on, and does not retry it", () => {
    const project = fakeProject({ installed: true, models: true, denoExit: 1 });
    const first = project.run("main");
    expect(first.status).toBe(0);
    expect(first.stderr).toContain("going on with wasm");
    expect(readFileSync(join(project.root, ".cache", "setup-native-failed.txt"), "utf8")).toContain("Delete this file to retry");
    expect(project.run("main").calls).toEqual(["deno task setup:native"]);
  });

  it("fetches the models for the tests only", () => {
    expect(fakeProject({ installed: true, nativeBuilt: true }).run("main").calls).toEqual([]);
    expect(fakeProject({ installed: true, nativeBuilt: true }).run("test").calls).toEqual(["deno task fetch:models"]);
  });

  it("rejects an unknown purpose with its usage", () => {
    const result = fakeProject({ installed: true }).run("bogus");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage: node scripts/ensure_installed.mjs main|test");
  });
});
