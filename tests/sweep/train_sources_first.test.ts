import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { readRunConfig } from "../../src/experiment/read_run_config.ts";
import { createRun, currentRunProcess, writeRunJson } from "../../src/experiment/run_store.ts";
import { sourceLockPath } from "../../src/experiment/source_run.ts";
import { expandTrials } from "../../src/sweep/expand_trials.ts";
import { parseSweepConfig } from "../../src/sweep/sweep_config.ts";
import { namedSources, trainSourcesFirst } from "../../src/sweep/train_sources_first.ts";
import type { TrialEngine, TrialLaunch } from "../../src/sweep/trial_engine.ts";

const base = (training: Record<string, unknown>) => ({ name: "student", model: { family: "small_cnn" }, training });

describe("namedSources", () => {
  it("lists each config path the trials name, with its fields and how many trials name it; run ids are left out", () => {
    const sweep = parseSweepConfig({
      kind: "sweep",
      name: "s",
      base: "unused.json",
      settings: [
        { "training.distill.teachers": ["experiments/a.json", "20261204-000000-b-abcdef"] },
        { "training.distill.teachers": ["experiments/a.json", "experiments/c.json"] },
      ],
      seeds: [1, 2],
    });
    const trials = expandTrials(sweep, base({ initFrom: "experiments/c.json", distill: { teachers: ["experiments/a.json"] } }));
    expect(namedSources(trials)).toEqual([
      { reference: "experiments/c.json", fields: ["training.initFrom", "training.distill.teachers"], trials: 4 },
      { reference: "experiments/a.json", fields: ["training.distill.teachers"], trials: 4 },
    ]);
    // The first trial: its setting's teachers (a and a run id) replace the base's; c is its initFrom.
    expect(namedSources(trials.slice(0, 1))).toEqual([
      { reference: "experiments/c.json", fields: ["training.initFrom"], trials: 1 },
      { reference: "experiments/a.json", fields: ["training.distill.teachers"], trials: 1 },
    ]);
  });
});

describe("namedSources of ensemble trials", () => {
  const ensemble = { kind: "ensemble", name: "e", members: [{ config: "experiments/a.json" }, { config: { name: "inline member", model: { family: "small_cnn" }, training: { epochs: 2 } } }] };

  it("lists an inline member config the trials share once, with the config itself, beside the members named by path", () => {
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { combiner: { grid: ["soft_vote", "log_linear_pool"] } }, seeds: [1] });
    const sources = namedSources(expandTrials(sweep, ensemble));
    expect(sources.map(({ inline: _, ...rest }) => rest)).toEqual([
      { reference: "experiments/a.json", fields: ["members.0.config"], trials: 2 },
      { reference: 'inline config "inline member"', fields: ["members.1.config"], trials: 2 },
    ]);
    expect(sources[0].inline).toBeUndefined();
    expect(sources[1].inline).toMatchObject({ name: "inline member", training: { epochs: 2, batchSize: 32 } });
  });

  it("leaves to its trial an inline member config no other trial has (a sweep of the member's fields)", () => {
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "members.1.config.training.epochs": { grid: [1, 3] } }, seeds: [1] });
    expect(namedSources(expandTrials(sweep, ensemble))).toEqual([{ reference: "experiments/a.json", fields: ["members.0.config"], trials: 2 }]);
    // Two seeds of each setting: the seed is the ensemble's (its folds), so each member config is shared by two trials.
    const seeded = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "members.1.config.training.epochs": { grid: [1, 3] } }, seeds: [1, 2] });
    expect(namedSources(expandTrials(seeded, ensemble)).map((s) => [s.reference, s.trials, s.inline?.training.epochs])).toEqual([
      ["experiments/a.json", 4, undefined],
      ['inline config "inline member"', 2, 1],
      ['inline config "inline member"', 2, 3],
    ]);
  });
});

describe("trainSourcesFirst", () => {
  /** An engine that runs nothing: it records the launches and reports what it is told. */
  function fakeEngine(ok: boolean): TrialEngine & { launches: TrialLaunch[] } {
    const launches: TrialLaunch[] = [];
    return {
      name: "local",
      description: "fake",
      launches,
      runTrial: (launch) => {
        launches.push(launch);
        return Promise.resolve({ ok, interrupted: false, message: ok ? "exit code 0" : "exit code 1", jobId: null, node: "local" });
      },
    };
  }

  it("launches each untrained source once, from a resolved copy in the sweep folder, and says when it did not complete", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    await writeFile(join(dir, "teacher.json"), JSON.stringify({ name: "teacher", model: { family: "small_cnn" }, training: { epochs: 2 } }));
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "training.distill.weight": { grid: [0.3, 0.7] } }, seeds: [1] });
    // A missing source is left to the trials, which report it with their field.
    const trials = expandTrials(sweep, base({ distill: { teachers: ["teacher.json", "missing.json"] } }));
    const engine = fakeEngine(false);
    const lines: string[] = [];
    const trained = await trainSourcesFirst(trials, {
      resultsRoot: join(dir, "results"),
      projectRoot: dir,
      engine,
      sweepDir: join(dir, "sweep"),
      resources: { cpus: 2, gpus: 0 },
      log: (line) => lines.push(line),
      signal: new AbortController().signal,
    });
    expect(trained).toEqual({ trained: [], paused: false });
    expect(engine.launches).toHaveLength(1);
    expect(engine.launches[0]).toMatchObject({ key: "source-teacher", configPath: join(dir, "sweep", "sources", "teacher.json"), attempt: 1 });
    expect(JSON.parse(await readFile(engine.launches[0].configPath, "utf8"))).toMatchObject({ name: "teacher", training: { epochs: 2, batchSize: 32 } });
    expect(lines).toEqual([
      "teacher.json (training.distill.teachers of 2 trials) has no completed run: training it once, before the trials, so that they reuse it (log: logs/source-teacher.attempt1.log)",
      "teacher.json: training did not complete (exit code 1; see logs/source-teacher.attempt1.log); each trial will try it itself",
    ]);
  });

  it("launches an inline member config the trials share once, from a copy named after it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    const member = { name: "inline member", model: { family: "small_cnn" } };
    const ensemble = { kind: "ensemble", name: "e", members: [{ run: "20261204-000000-b-abcdef" }, { config: member }] };
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "members.1.config.training.epochs": { grid: [1, 3] } }, seeds: [1, 2] });
    const engine = fakeEngine(false);
    const lines: string[] = [];
    await trainSourcesFirst(expandTrials(sweep, ensemble), {
      resultsRoot: join(dir, "results"), projectRoot: dir, engine, sweepDir: join(dir, "sweep"), resources: { cpus: 1, gpus: 0 }, log: (line) => lines.push(line), signal: new AbortController().signal,
    });
    expect(engine.launches.map((l) => [l.key, l.configPath])).toEqual([
      ["source-inline_member", join(dir, "sweep", "sources", "inline_member.json")],
      ["source-inline_member-2", join(dir, "sweep", "sources", "inline_member-2.json")],
    ]);
    const epochs = await Promise.all(engine.launches.map(async (l) => JSON.parse(await readFile(l.configPath, "utf8")).training.epochs));
    expect(epochs).toEqual([1, 3]);
    expect(lines[0]).toBe(
      'inline config "inline member" (members.1.config of 2 trials) has no completed run: training it once, before the trials, so that they reuse it (log: logs/source-inline_member.attempt1.log)',
    );
  });

  it("gives two sources of one file name in different folders their own config copy and log", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    for (const [folder, epochs] of [["a", 1], ["b", 2]] as const) {
      await mkdir(join(dir, folder));
      await writeFile(join(dir, folder, "teacher.json"), JSON.stringify({ name: "teacher", model: { family: "small_cnn" }, training: { epochs } }));
    }
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", seeds: [1, 2] });
    const engine = fakeEngine(false);
    await trainSourcesFirst(expandTrials(sweep, base({ initFrom: "a/teacher.json", distill: { teachers: ["b/teacher.json"] } })), {
      resultsRoot: join(dir, "results"), projectRoot: dir, engine, sweepDir: join(dir, "sweep"), resources: { cpus: 1, gpus: 0 }, log: () => {}, signal: new AbortController().signal,
    });
    expect(engine.launches.map((l) => [l.key, l.logPath])).toEqual([
      ["source-teacher", join(dir, "sweep", "logs", "source-teacher.attempt1.log")],
      ["source-teacher-2", join(dir, "sweep", "logs", "source-teacher-2.attempt1.log")],
    ]);
    const epochs = await Promise.all(engine.launches.map(async (l) => JSON.parse(await readFile(l.configPath, "utf8")).training.epochs));
    expect(epochs).toEqual([1, 2]);
  });

  it("launches nothing once the sweep is interrupted", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    await writeFile(join(dir, "teacher.json"), JSON.stringify({ name: "teacher", model: { family: "small_cnn" } }));
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", seeds: [1, 2] });
    const engine = fakeEngine(true);
    const controller = new AbortController();
    controller.abort();
    await trainSourcesFirst(expandTrials(sweep, base({ initFrom: "teacher.json" })), {
      resultsRoot: join(dir, "results"), projectRoot: dir, engine, sweepDir: join(dir, "sweep"), resources: { cpus: 1, gpus: 0 }, log: () => {}, signal: controller.signal,
    });
    expect(engine.launches).toEqual([]);
  });

  it("keeps the Ray job of a source an interrupt left running, and the rerun follows it instead of submitting another", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    await writeFile(join(dir, "teacher.json"), JSON.stringify({ name: "teacher", model: { family: "small_cnn" } }));
    const trials = expandTrials(parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", seeds: [1, 2] }), base({ initFrom: "teacher.json" }));
    const launches: TrialLaunch[] = [];
    const rayEngine = (interrupted: boolean): TrialEngine => ({
      name: "ray",
      description: "fake Ray",
      runTrial: async (launch, { onPlacement }) => {
        launches.push(launch);
        const jobId = launch.existingJobId ?? `raysubmit_${launches.length}`;
        await onPlacement({ jobId, node: null });
        return { ok: !interrupted, interrupted, message: interrupted ? "sweep interrupted" : "exit code 0", jobId, node: "n1" };
      },
    });
    const lines: string[] = [];
    const ctx = { resultsRoot: join(dir, "results"), projectRoot: dir, sweepDir: join(dir, "sweep"), resources: { cpus: 1, gpus: 0 }, log: (l: string) => lines.push(l), signal: new AbortController().signal };
    const jobFile = join(dir, "sweep", "sources", "teacher.job.json");
    await trainSourcesFirst(trials, { ...ctx, engine: rayEngine(true) });
    expect(JSON.parse(await readFile(jobFile, "utf8"))).toMatchObject({ jobId: "raysubmit_1" });

    await trainSourcesFirst(trials, { ...ctx, engine: rayEngine(false) });
    expect(launches.map((l) => l.existingJobId)).toEqual([undefined, "raysubmit_1"]);
    expect(lines).toContain(
      "teacher.json (training.initFrom of 2 trials) has no completed run: following its Ray job raysubmit_1, which an interrupted invocation of this sweep left running (log: logs/source-teacher.attempt1.log)",
    );
    expect(existsSync(jobFile)).toBe(false); // ended: nothing left to follow

    // A record of another experiment under the same name (its config changed) is not followed.
    await writeFile(jobFile, JSON.stringify({ jobId: "raysubmit_old", experimentHash: "0".repeat(64) }));
    await trainSourcesFirst(trials, { ...ctx, engine: rayEngine(false) });
    expect(launches[2].existingJobId).toBeUndefined();
  });

  it("holds the source's lock while it trains, and leaves a source to the process training it already (its lock, or its running run)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sources-"));
    await writeFile(join(dir, "teacher.json"), JSON.stringify({ name: "teacher", model: { family: "small_cnn" } }));
    const trials = expandTrials(parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", seeds: [1, 2] }), base({ initFrom: "teacher.json" }));
    const resultsRoot = join(dir, "results");
    const config = await readRunConfig(join(dir, "teacher.json"));
    const lockPath = sourceLockPath(resultsRoot, config);
    const seenLocks: unknown[] = [];
    const engine: TrialEngine & { launches: TrialLaunch[] } = {
      name: "local",
      description: "fake",
      launches: [],
      runTrial: async (launch) => {
        engine.launches.push(launch);
        seenLocks.push(JSON.parse(await readFile(lockPath, "utf8")));
        return { ok: false, interrupted: false, message: "exit code 1", jobId: null, node: "local" };
      },
    };
    const lines: string[] = [];
    const ctx = { resultsRoot, projectRoot: dir, engine, sweepDir: join(dir, "sweep"), resources: { cpus: 1, gpus: 0 }, log: (l: string) => lines.push(l), signal: new AbortController().signal };
    await trainSourcesFirst(trials, ctx);
    expect(engine.launches).toHaveLength(1);
    expect(seenLocks).toEqual([expect.objectContaining({ pid: process.pid, purpose: expect.stringContaining("training teacher.json before the trials") })]);
    expect(existsSync(lockPath)).toBe(false); // released, though the training failed

    // A `fer run` on another host holds the lock: the sweep does not train it again (the trials will wait).
    await mkdir(join(resultsRoot, "locks"), { recursive: true });
    await writeFile(lockPath, JSON.stringify({ pid: 1, host: "elsewhere.example", since: "2026-01-01T00:00:00Z", purpose: "training teacher.json" }));
    await trainSourcesFirst(trials, ctx);
    expect(engine.launches).toHaveLength(1);
    expect(lines.at(-1)).toBe(
      `teacher.json: process 1 on elsewhere.example is training it since 2026-01-01T00:00:00Z; not training it again, the trials wait for that run (if that host is gone, delete ${lockPath})`,
    );
    await rm(lockPath);

    // A run of it training in a live process here (a `fer run` of the source config itself) is left to finish.
    const run = await createRun(resultsRoot, config, { name: "teacher", now: new Date() });
    await writeRunJson(run, "manifest", { id: run.id, name: "teacher", status: "running", seed: config.seed, process: currentRunProcess() });
    await trainSourcesFirst(trials, ctx);
    expect(engine.launches).toHaveLength(1);
    expect(lines.at(-1)).toBe(`teacher.json: process ${process.pid} on ${currentRunProcess().host} is training it as run ${run.id}; not training it again, the trials wait for that run`);
    expect(existsSync(lockPath)).toBe(false);
  });
});
