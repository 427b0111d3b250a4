import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { makeTinyProject, newestManifest, startCli, type TinyProject } from "./_cli_process.ts";

let project: TinyProject;
let runId: string;

beforeAll(async () => {
  project = await makeTinyProject("interrupt-robustness");
  const code = await main(["run", await project.config(1), "--no-images"], { out: () => {}, err: () => {}, env: project.env });
  expect(code).toBe(0);
  runId = (await newestManifest(project.results)).id;
}, 120_000);

describe("a robustness suite stopped by a signal", () => {
  it("stops after its current batch on SIGINT, says so, exits 130 and writes nothing into the run folder", async () => {
    const runDir = join(project.results, "runs", runId);
    const before = (await readdir(runDir)).sort();
    // The training split (64 images) at five severities of 22 perturbations: seconds of work after the first line.
    const cli = startCli(["robustness", runId, "--split", "train", "--no-images"], project.env);
    await cli.waitForOut(/^lighting\s+\S+\s+\d\.\d{3} /m);
    process.kill(cli.child.pid!, "SIGINT");
    const { code } = await cli.exited;
    expect(cli.err).toContain("Interrupt: stopping after the current batch; robustness.json and the plots are left as they were, or written whole if measuring is done (Ctrl-C again to exit at once)");
    expect(cli.err).toContain(`Robustness of ${runId} stopped before it was measured in full: nothing was written`);
    expect(cli.out).not.toContain("mean corruption accuracy");
    expect(code).toBe(130);
    expect(existsSync(join(runDir, "robustness.json"))).toBe(false);
    expect((await readdir(runDir)).sort()).toEqual(before);
  }, 120_000);
});
