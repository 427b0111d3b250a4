import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { RunError } from "../../src/core/errors.ts";
import { compareRuns } from "../../src/experiment/compare_runs.ts";
import { appendHistory, createRun, currentRunProcess, readRunJson, type RunHandle, runState, writeRunJson } from "../../src/experiment/run_store.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";

function cli(results: string, ...args: string[]) {
  return callCli(args, { FER_RESULTS: results });
}

function manifest(run: RunHandle, status: RunManifest["status"], process?: RunManifest["process"]): RunManifest {
  return {
    id: run.id, name: "t", status, seed: 1, code: { commit: null, dirty: false },
    environment: {} as RunManifest["environment"], backend: { name: "wasm" },
    dataset: { root: "d", fingerprint: "f", synthetic: true, classes: ["a", "b"], counts: {}, validationSource: "folder" } as unknown as RunManifest["dataset"],
    versions: {}, startedAt: "2026-01-01T00:00:00Z", finishedAt: null,
    durations: { totalSeconds: null, trainSeconds: null, evalSeconds: null }, process,
  };
}

// The pid of a process that has exited.
function deadPid(): number {
  const child = spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(child.stdout.trim());
}

describe("damaged run files", () => {
  it("readRunJson names the file and what is wrong with it", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-damaged-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    await writeFile(join(run.dir, "metrics.json"), '{"validation": {');
    await expect(readRunJson(run, "metrics")).rejects.toThrow(RunError);
    await expect(readRunJson(run, "metrics")).rejects.toThrow(`Run file ${join(run.dir, "metrics.json")} is damaged: not valid JSON`);
  });

  it("list and compare show a damaged run as damaged and still read every other run", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-damaged-"));
    const good = await createRun(root, { name: "good", model: { family: "small_cnn" } }, { name: "good", now: new Date("2026-01-01T00:00:00Z") });
    await writeRunJson(good, "manifest", manifest(good, "completed"));
    const bad = await createRun(root, { name: "bad" }, { name: "bad", now: new Date("2026-01-02T00:00:00Z") });
    await writeFile(join(bad.dir, "manifest.json"), "");
    // A robustness report beside the damaged manifest: the robustness tables leave the run out rather than fail.
    await writeFile(join(bad.dir, "robustness.json"), "{}");
    const rows = await compareRuns(root);
    expect(rows.map((r) => r.status)).toEqual(["completed", "damaged"]);
    expect(rows[1].note).toContain(join(bad.dir, "manifest.json"));
    const list = await cli(root, "list");
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`${good.id}  completed`));
    // The id column is as wide as the longest id (the good run's, one letter longer).
    expect(list.out).toContain(`${bad.id}   damaged     Run file ${join(bad.dir, "manifest.json")} is damaged`);
    const compare = await cli(root, "compare", "--no-images", "--out", join(root, "cmp"));
    expect(compare.code).toBe(0);
    expect(compare.err).toContain(`${bad.id} damaged: Run file`);
  });

  it("show of a damaged run says which file, without a stack trace", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-damaged-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    await writeFile(join(run.dir, "manifest.json"), "{ nope");
    const { code, err } = await cli(root, "show", run.id);
    expect(code).toBe(1);
    expect(err).toMatch(/^RunError: Run file .*manifest\.json is damaged/);
  });
});

describe("runState", () => {
  it("reports a running run whose process is gone as stale, with what survived", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-stale-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    await appendHistory(run, { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.001, seconds: 1 });
    await appendHistory(run, { epoch: 2, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.001, seconds: 1 });
    await mkdir(join(run.dir, "model"));
    await writeFile(join(run.dir, "model", "model.json"), "{}");
    const pid = deadPid();
    const state = await runState(run, manifest(run, "running", { pid, host: currentRunProcess().host }));
    expect(state.status).toBe("stale");
    expect(state.note).toContain(`process ${pid}`);
    expect(state.note).toContain("2 epoch(s) in history.csv");
    expect(state.note).toContain(`deno task fer eval ${run.id}`);
  });

  it("believes a running run whose process is alive", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-stale-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    expect(await runState(run, manifest(run, "running", currentRunProcess()))).toEqual({ status: "running", note: null });
  });

  it("does not judge a run on another host", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-stale-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    const state = await runState(run, manifest(run, "running", { pid: deadPid(), host: "elsewhere.example" }));
    expect(state.status).toBe("running");
    expect(state.note).toContain("on host elsewhere.example");
  });

  it("reports a run folder without a manifest as stale", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-stale-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date() });
    expect((await runState(run, undefined)).status).toBe("stale");
  });
});
