import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  appendHistory,
  checkRunId,
  createRun,
  listRunIds,
  openRun,
  readHistory,
  readRunJson,
  runPath,
  writePredictions,
  writeRunJson,
} from "../../src/experiment/run_store.ts";
import { codeVersion, environmentInfo } from "../../src/experiment/run_manifest.ts";
import { ConfigError } from "../../src/core/errors.ts";

const now = new Date("2026-11-24T09:15:30Z");
const tempResults = () => mkdtemp(join(tmpdir(), "fer-runs-"));

describe("createRun", () => {
  it("writes config.json before anything else and names the folder by time and name", async () => {
    const root = await tempResults();
    const run = await createRun(root, { name: "cnn", seed: 1 }, { name: "small cnn!", now });
    expect(run.id).toMatch(/^20261124-091530-small_cnn_-[0-9a-f]{6}$/);
    expect(await readdir(run.dir)).toEqual(["config.json"]);
    expect(await readRunJson(run, "config")).toEqual({ name: "cnn", seed: 1 });
  });

  it("never gives two runs started in the same second the same folder", async () => {
    const root = await tempResults();
    const runs = await Promise.all(Array.from({ length: 20 }, () => createRun(root, {}, { name: "x", now })));
    expect(new Set(runs.map((r) => r.id)).size).toBe(20);
    expect((await listRunIds(root)).length).toBe(20);
  });
});

describe("checkRunId", () => {
  it("rejects ids that would escape the runs folder", () => {
    expect(() => checkRunId("../etc")).toThrow(ConfigError);
    expect(() => checkRunId("a/b")).toThrow('Run id "a/b" is not valid');
  });
});

describe("openRun", () => {
  it("says how to list runs when the id does not exist", async () => {
    const root = await tempResults();
    await expect(openRun(root, "nope")).rejects.toThrow("list runs with: deno task fer list");
  });
});

describe("history.csv", () => {
  it("appends one line per epoch under a fixed header and reads it back", async () => {
    const root = await tempResults();
    const run = await createRun(root, {}, { name: "h", now });
    await appendHistory(run, { epoch: 1, loss: 1.2, accuracy: 0.4, val_loss: 1.1, val_accuracy: 0.5, lr: 0.001, seconds: 3 });
    await appendHistory(run, { epoch: 2, loss: 0.9, accuracy: 0.6, val_loss: NaN, val_accuracy: 0.55, lr: 0.001, seconds: 3 });
    const text = await readFile(runPath(run, "history"), "utf8");
    expect(text.split("\n")[0]).toBe("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds");
    const rows = await readHistory(run);
    expect(rows).toHaveLength(2);
    expect(rows[1].loss).toBe(0.9);
    expect(rows[1].val_loss).toBeNaN();
  });
});

describe("metrics, manifest and predictions", () => {
  it("replaces JSON files atomically and leaves no temporary files", async () => {
    const root = await tempResults();
    const run = await createRun(root, {}, { name: "m", now });
    await writeRunJson(run, "metrics", { accuracy: 0.5 });
    await writeRunJson(run, "metrics", { accuracy: 0.6 });
    expect(await readRunJson(run, "metrics")).toEqual({ accuracy: 0.6 });
    expect((await readdir(run.dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes one prediction row per image with a probability column per class", async () => {
    const root = await tempResults();
    const run = await createRun(root, {}, { name: "p", now });
    await writePredictions(run, [
      { path: "test/happy/a,b.jpg", split: "test", trueLabel: 0, predictedLabel: 1, probabilities: [0.25, 0.75] },
    ], ["happy", "sad"]);
    const lines = (await readFile(runPath(run, "predictions"), "utf8")).trim().split("\n");
    expect(lines).toEqual(["path,split,true,predicted,p_happy,p_sad", '"test/happy/a,b.jpg",test,happy,sad,0.250000,0.750000']);
  });

  it("returns undefined for a file the run does not have yet", async () => {
    const root = await tempResults();
    const run = await createRun(root, {}, { name: "u", now });
    expect(await readRunJson(run, "metrics")).toBeUndefined();
  });

  it("skips folders without a config when listing runs", async () => {
    const root = await tempResults();
    await createRun(root, {}, { name: "a", now });
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(root, "runs", "stray"));
    await writeFile(join(root, "runs", "stray", "note.txt"), "x");
    expect(await listRunIds(root)).toHaveLength(1);
  });
});

describe("run manifest facts", () => {
  it("reads the git commit of this checkout", () => {
    const code = codeVersion(".");
    expect(code.commit).toMatch(/^[0-9a-f]{40}$/);
  });
  it("gives no commit outside a repository", async () => {
    expect(codeVersion(await tempResults()).commit).toBeNull();
  });
  it("reports the Deno version when running under Deno", () => {
    expect(environmentInfo().deno).toMatch(/^2\./);
  });
});
