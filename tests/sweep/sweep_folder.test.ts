import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { expandTrials } from "../../src/sweep/expand_trials.ts";
import { parseSweepConfig } from "../../src/sweep/sweep_config.ts";
import { lockSweepFolder, openSweepFolder, saveSweepState, trialConfigPath, trialLogPath } from "../../src/sweep/sweep_folder.ts";

const base = { name: "cnn", model: { family: "small_cnn" } };
const spec = (extra: Record<string, unknown> = {}) => {
  const sweep = parseSweepConfig({ kind: "sweep", name: "f", base, parameters: { "training.epochs": { grid: [1, 2] } }, ...extra });
  return { sweep, base };
};

describe("sweep folder", () => {
  it("writes the resolved sweep and each trial's config, and keeps trial states across openings", async () => {
    const results = await mkdtemp(join(tmpdir(), "fer-folder-"));
    const first = await openSweepFolder(results, spec(), expandTrials(spec().sweep, base));
    expect(JSON.parse(await readFile(trialConfigPath(first.dir, "t002-seed42"), "utf8")).training.epochs).toBe(2);
    first.records.get("t001-seed42")!.status = "completed";
    await saveSweepState(first);
    // Retries and notes may change between reruns; the trials may not.
    const again = spec({ retries: 3, notes: "more retries" });
    const second = await openSweepFolder(results, again, expandTrials(again.sweep, base));
    expect(second.records.get("t001-seed42")!.status).toBe("completed");
    expect(JSON.parse(await readFile(join(second.dir, "sweep.json"), "utf8")).sweep.retries).toBe(3);
  });

  it("names each attempt's log by trial and attempt", () => {
    expect(trialLogPath("/s", "t001-seed1", 3)).toEqual({ path: "/s/logs/t001-seed1.attempt3.log", relativePath: "logs/t001-seed1.attempt3.log" });
  });

  it("lets one process at a time drive a folder and takes over a lock whose process is gone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-lock-"));
    const release = await lockSweepFolder(dir);
    await expect(lockSweepFolder(dir)).rejects.toThrow(new RegExp(`Sweep folder ${dir} is in use by process ${process.pid}`));
    await release();
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "sweep.lock"), "2147483646\n"); // no such process
    const again = await lockSweepFolder(dir);
    await again();
  });
});
