import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { makeTinyProject, newestManifest, startCli, type TinyProject } from "./_cli_process.ts";

let project: TinyProject;

beforeAll(async () => {
  project = await makeTinyProject("interrupts");
});

describe("a run and the world around it", () => {
  it("finishes and saves the run when the reader of its output goes away mid-training", async () => {
    const cli = startCli(["run", await project.config(4), "--no-images"], { ...project.env, FER_RESULTS: join(project.dir, "pipe") });
    await cli.waitForErr("epoch 1/4");
    cli.child.stderr!.destroy();
    cli.child.stdout!.destroy();
    const { code } = await cli.exited;
    const { id, manifest } = await newestManifest(join(project.dir, "pipe"));
    expect(manifest.status).toBe("completed");
    expect(existsSync(join(project.dir, "pipe", "runs", id, "metrics.json"))).toBe(true);
    expect(code).toBe(0);
  }, 60_000);

  it("exits with status 130 after SIGINT, leaving the run interrupted with its metrics", async () => {
    const results = join(project.dir, "sigint");
    const cli = startCli(["run", await project.config(300), "--no-images"], { ...project.env, FER_RESULTS: results });
    await cli.waitForErr("epoch 1/300");
    process.kill(cli.child.pid!, "SIGINT"); // child.kill() under Deno reports the signal, not the exit status
    const { code } = await cli.exited;
    const { id, manifest } = await newestManifest(results);
    expect(manifest.status).toBe("interrupted");
    expect(existsSync(join(results, "runs", id, "metrics.json"))).toBe(true);
    expect(code).toBe(130);
  }, 60_000);

  it("treats SIGTERM like Ctrl-C: the run is saved as interrupted and the status is 143", async () => {
    const results = join(project.dir, "sigterm");
    const cli = startCli(["run", await project.config(300), "--no-images"], { ...project.env, FER_RESULTS: results });
    await cli.waitForErr("epoch 1/300");
    process.kill(cli.child.pid!, "SIGTERM");
    const { code } = await cli.exited;
    const { manifest } = await newestManifest(results);
    expect(manifest.status).toBe("interrupted");
    expect(code).toBe(143);
  }, 60_000);

  it("reports a run killed with SIGKILL as stale in list, with what survived", async () => {
    const results = join(project.dir, "sigkill");
    const cli = startCli(["run", await project.config(300), "--no-images"], { ...project.env, FER_RESULTS: results });
    await cli.waitForErr("epoch 2/300");
    process.kill(cli.child.pid!, "SIGKILL");
    await cli.exited;
    const { id, manifest } = await newestManifest(results);
    expect(manifest.status).toBe("running");
    let out = "";
    await main(["list"], { out: (t) => (out += t), err: () => {}, env: { FER_RESULTS: results } });
    expect(out).toContain(`${id}  stale`);
    let shown = "";
    await main(["show", id], { out: (t) => (shown += t), err: () => {}, env: { FER_RESULTS: results } });
    expect(shown).toContain(`Run ${id}: stale`);
    expect(out).toMatch(/stale: process \d+ on \S+ is gone \(killed or crashed\) while running; survived: [1-9]\d* epoch\(s\) in history\.csv, best weights so far in model\//);
  }, 60_000);
});
