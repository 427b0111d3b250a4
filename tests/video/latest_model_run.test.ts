import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/core/errors.ts";
import { createRun, runPath, writeRunJson } from "../../src/experiment/run_store.ts";
import { latestModelRun } from "../../src/video/latest_model_run.ts";
import { modelRunFromFlag } from "../../src/cli/video_cli_options.ts";

/** A run started at `time` with `status` in its manifest (none when null) and, when `model`, a model.json. */
async function fakeRun(root: string, name: string, time: string, status: string | null, model: boolean, process?: { pid: number; host: string }): Promise<string> {
  const run = await createRun(root, { name }, { name, now: new Date(time) });
  if (status !== null) await writeRunJson(run, "manifest", { id: run.id, name, status, seed: 1, process });
  if (model) {
    await mkdir(runPath(run, "model"), { recursive: true });
    await writeFile(join(runPath(run, "model"), "model.json"), "{}");
  }
  return run.id;
}

describe("latestModelRun: the model fer video, detect and live use without --model", () => {
  it("takes the newest completed run with a model, passing over a newer run still training and one without a model", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    await fakeRun(root, "old", "2026-01-01T00:00:00Z", "completed", true);
    const done = await fakeRun(root, "done", "2026-01-02T00:00:00Z", "completed", true);
    await fakeRun(root, "ensemble", "2026-01-03T00:00:00Z", "completed", false);
    await fakeRun(root, "training", "2026-01-04T00:00:00Z", "running", true);
    expect(await latestModelRun(root)).toEqual({ id: done, reason: "the newest completed run with a saved model" });
  });

  it("falls back to the newest run with weights when none completed, and says so", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    await fakeRun(root, "stopped", "2026-01-01T00:00:00Z", "interrupted", true);
    const training = await fakeRun(root, "training", "2026-01-02T00:00:00Z", "running", true);
    const picked = await latestModelRun(root);
    expect(picked.id).toBe(training);
    expect(picked.reason).toContain("has not completed (running): its best weights so far");
  });

  it("names a run whose training process is gone as stale, as fer list does", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    const deadPid = Number(spawnSync("sh", ["-c", "echo $$"], { encoding: "utf8" }).stdout.trim());
    await fakeRun(root, "crashed", "2026-01-01T00:00:00Z", "running", true, { pid: deadPid, host: hostname() });
    expect((await latestModelRun(root)).reason).toContain("has not completed (stale): its best weights so far");
  });

  it("reads a damaged manifest as not completed rather than failing", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    const damaged = await fakeRun(root, "damaged", "2026-01-01T00:00:00Z", null, true);
    await writeFile(join(root, "runs", damaged, "manifest.json"), "{");
    expect((await latestModelRun(root)).reason).toContain("(damaged manifest)");
  });

  it("says how to get a model when no run has one", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    await fakeRun(root, "ensemble", "2026-01-01T00:00:00Z", "completed", false);
    await expect(latestModelRun(root)).rejects.toThrow(ConfigError);
    await expect(latestModelRun(root)).rejects.toThrow("train one (deno task fer run experiments/small_cnn.json) or pass --model <run-id>");
  });

  it("modelRunFromFlag keeps --model as given and otherwise names the run it picked", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-latest-"));
    const done = await fakeRun(root, "done", "2026-01-01T00:00:00Z", "completed", true);
    let err = "";
    const io = { out: () => {}, err: (t: string) => (err += t), env: {} };
    expect(await modelRunFromFlag({ model: "some-run" }, root, io)).toBe("some-run");
    expect(err).toBe("");
    expect(await modelRunFromFlag({}, root, io)).toBe(done);
    expect(err).toBe(`Model: ${done} (the newest completed run with a saved model; pass --model to choose)\n`);
  });
});
