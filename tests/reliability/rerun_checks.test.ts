import { beforeAll, describe, expect, it } from "vitest";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { configDifferences } from "../../src/experiment/config_differences.ts";
import { makeTinyProject, type TinyProject } from "./_cli_process.ts";

let project: TinyProject;
let runId = "";

function cli(...args: string[]) {
  return callCli(args, project.env);
}

const runs = () => readdir(join(project.results, "runs"));

beforeAll(async () => {
  project = await makeTinyProject("rerun");
  expect((await cli("run", await project.config(1), "--no-images")).code).toBe(0);
  [runId] = await runs();
}, 60_000);

describe("configDifferences", () => {
  it("lists each differing leaf field with both values, absent ones marked", () => {
    expect(configDifferences({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { b: 2, c: [1, 2] }, e: true })).toEqual([
      "a.b: 1 -> 2",
      'd: "x" -> (absent)',
      "e: (absent) -> true",
    ]);
  });
});

describe("fer rerun checks before training", () => {
  it("refuses a config.json edited after the run, naming the fields, without starting a run", async () => {
    const path = join(project.results, "runs", runId, "config.json");
    const original = await readFile(path, "utf8");
    const edited = JSON.parse(original);
    edited.training.epochs = 2;
    await writeFile(path, JSON.stringify(edited, null, 2));
    const { code, err } = await cli("rerun", runId, "--no-images");
    expect(code).toBe(1);
    expect(err).toContain(`RunError: ${runId}/config.json differs from the config the run recorded in its manifest.json (edited after the run?):\n  training.epochs: 1 -> 2\n`);
    expect(err).toContain("pass --force to run the edited config anyway");
    expect(await runs()).toEqual([runId]);
    await writeFile(path, original);
  });

  it("says a run without metrics has nothing to compare with, before training", async () => {
    const metrics = join(project.results, "runs", runId, "metrics.json");
    const saved = await readFile(metrics, "utf8");
    await rm(metrics);
    const { code, err } = await cli("rerun", runId, "--no-images");
    expect(code).toBe(1);
    expect(err).toContain(`RunError: Run ${runId} has no metrics.json (status completed): there is nothing to compare a rerun with; pass --force`);
    expect(await runs()).toEqual([runId]);
    await writeFile(metrics, saved);
  });

  it("runs the edited config with --force and says the metrics are not expected to match", async () => {
    const path = join(project.results, "runs", runId, "config.json");
    const edited = JSON.parse(await readFile(path, "utf8"));
    edited.seed = 2;
    await writeFile(path, JSON.stringify(edited, null, 2));
    const { err } = await cli("rerun", runId, "--no-images", "--force");
    expect(err).toContain("WARNING: ");
    expect(err).toContain("  seed: 1 -> 2");
    expect((await runs()).length).toBe(2);
  }, 60_000);
});

describe("fer rerun in sittings", () => {
  it("stops a rerun at the sitting's end, goes on with it in the same command's next sitting, then compares", async () => {
    const before = new Set(await runs());
    expect((await cli("run", await project.config(2, { name: "tiny_two", seed: 4 }), "--no-images")).code).toBe(0);
    const [original] = (await runs()).filter((id) => !before.has(id));
    const past = await cli("rerun", original, "--until", "2020-01-01T00:00Z", "--no-images");
    expect(past.code).toBe(0);
    expect(past.err).toContain("Sitting over before it began");
    const first = await cli("rerun", original, "--stop-after-epoch", "1", "--no-images");
    expect(first.code, first.err).toBe(0);
    const rerun = /it goes on with run (\S+)\)/.exec(first.err)?.[1];
    expect(first.err).toContain(`Sitting over: stopped after epoch 1, as asked; nothing compared yet. Go on with: deno task fer rerun ${original} (it goes on with run ${rerun})`);
    expect(first.out).not.toContain("metrics match");
    const empty = await cli("rerun", original, "--stop-after-epoch", "1", "--no-images");
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/has finished 1 of its 2 epochs; --stop-after-epoch 1 would train none more/);
    const second = await cli("rerun", original, "--no-images");
    expect(second.err).toContain(`Run ${rerun} of this config and seed stopped before it completed, with its checkpoint: going on with it as the rerun`);
    expect(second.out).toMatch(new RegExp(`(\\d+) of \\1 metrics match exactly \\(${original} vs ${rerun}\\)`));
    expect(second.code).toBe(0);
    expect((await runs()).filter((id) => !before.has(id))).toHaveLength(2); // the original and one rerun, resumed
  }, 60_000);

  it("refuses --stop-after-epoch for an ensemble's rerun, which trains its members one after another", async () => {
    const ensemble = join(project.dir, "ensemble.json");
    const member = { config: await project.config(1, { name: "tiny_member", seed: 9 }) };
    await writeFile(ensemble, JSON.stringify({ kind: "ensemble", name: "tiny_ensemble", backend: "wasm", members: [{ run: runId }, member] }));
    const before = new Set(await runs());
    expect((await cli("run", ensemble, "--no-images")).code).toBe(0);
    const made = (await runs()).find((id) => !before.has(id) && id.includes("-tiny_ensemble-"));
    const { code, err } = await cli("rerun", made!, "--stop-after-epoch", "1", "--no-images");
    expect(code).toBe(1);
    expect(err).toContain("--stop-after-epoch counts the epochs of one run, and an ensemble trains its members one after another");
  }, 60_000);
});
