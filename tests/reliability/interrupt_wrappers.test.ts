import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeTinyProject, type TinyProject } from "./_cli_process.ts";

// util-linux's `script` runs a command on a pseudo-terminal, so a Ctrl-C
// byte written to it reaches the command the way a user's Ctrl-C does: as
// SIGINT to the terminal's foreground process group.
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let project: TinyProject;

beforeAll(async () => {
  project = await makeTinyProject("wrappers");
});

describe.runIf(hasScript)("Ctrl-C in a terminal through the README's command (needs util-linux script)", () => {
  it("npx deno task fer run returns only after the run folder is saved, with status 130", async () => {
    const config = await project.config(300);
    const command = `npx deno task fer run ${config} --no-images`;
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: resolve("."),
      env: { ...process.env, ...project.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    const started = new Promise<void>((done, fail) => {
      child.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("epoch 1/300")) done();
      });
      child.on("exit", () => fail(new Error(`Exited before training:\n${output}`)));
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    await started;
    child.stdin!.write("\x03");
    const code = await exited;
    // Read at once: this is when the shell prompt would be back.
    const [id] = await readdir(join(project.results, "runs"));
    const manifest = JSON.parse(await readFile(join(project.results, "runs", id, "manifest.json"), "utf8"));
    expect(manifest.status).toBe("interrupted");
    expect(output).toContain(`folder ${join(project.results, "runs", id)}`);
    expect(code).toBe(130);
  }, 90_000);
});
