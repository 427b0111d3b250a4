import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { takeLock } from "../../src/core/process_lock.ts";
import { experimentHash } from "../../src/experiment/find_identical_run.ts";
import { parseRunConfig, type RunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { createRun, currentRunProcess, writeRunJson } from "../../src/experiment/run_store.ts";
import { LOCKS_FOLDER, resolveSourceRun, type ResolveSourceRunOptions } from "../../src/experiment/source_run.ts";
import { sittingStop } from "../../src/train/sitting_limit.ts";
import { loggingRunContext, tinyRunConfig } from "./experiment_fixtures.ts";

let dataRoot = "";
let sourcePath = "";
beforeAll(async () => {
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-source-data-")), "four");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 8, validation: 4, test: 4 }, size: 24, seed: 3 });
  sourcePath = join(await mkdtemp(join(tmpdir(), "fer-source-configs-")), "teacher.json");
  await writeFile(sourcePath, JSON.stringify(tinyRunConfig(dataRoot, { name: "teacher" })));
});

type Ctx = Awaited<ReturnType<typeof loggingRunContext>>;

/** Options whose train runs the tiny config for real and counts the calls; the first `failures` calls fail after training starts. */
function trainingOptions(ctx: Ctx, failures = 0): ResolveSourceRunOptions & { calls: number } {
  const options = {
    field: "training.initFrom",
    chain: [],
    check: () => {},
    pollMs: 20,
    calls: 0,
    train: async (config: RunConfig) => {
      options.calls++;
      if (options.calls <= failures) {
        await new Promise((done) => setTimeout(done, 100));
        throw new Error("the source's training failed");
      }
      return await runExperiment(config, ctx);
    },
  };
  return options;
}

function lockFile(ctx: Ctx): string {
  const hash = experimentHash(parseRunConfig(tinyRunConfig(dataRoot, { name: "teacher" })));
  return join(ctx.resultsRoot, LOCKS_FOLDER, `source-${hash.slice(0, 16)}.lock`);
}

describe("resolveSourceRun, two runs needing one source config", () => {
  it("trains it once: the second waits for the first's run and reuses it, and the lock is gone after", async () => {
    const ctx = await loggingRunContext();
    const options = trainingOptions(ctx);
    const [a, b] = await Promise.all([resolveSourceRun(sourcePath, ctx, options), resolveSourceRun(sourcePath, ctx, options)]);
    expect(options.calls).toBe(1);
    expect([a.origin, b.origin].sort()).toEqual(["reused", "trained"]);
    expect(a.run.id).toBe(b.run.id);
    expect(await readdir(join(ctx.resultsRoot, "runs"))).toEqual([a.run.id]);
    // The second finds the first's lock, or its run already training, depending on timing.
    expect(ctx.logs.join("\n")).toMatch(new RegExp(`process ${process.pid} on \\S+ is training ${sourcePath} (since|as run) \\S+; waiting for its run`));
    expect(await readdir(join(ctx.resultsRoot, LOCKS_FOLDER))).toEqual([]);
  });

  it("trains it itself when the holder's training fails", async () => {
    const ctx = await loggingRunContext();
    const options = trainingOptions(ctx, 1);
    const outcomes = await Promise.allSettled([resolveSourceRun(sourcePath, ctx, options), resolveSourceRun(sourcePath, ctx, options)]);
    expect(options.calls).toBe(2);
    // Which of the two takes the lock first depends on the file system's timing.
    expect(outcomes.find((o) => o.status === "rejected")).toMatchObject({ reason: { message: "the source's training failed" } });
    expect(outcomes.find((o) => o.status === "fulfilled")).toMatchObject({ value: { origin: "trained" } });
  });

  it("stops waiting when the run is stopped, having trained nothing; names the lock of a holder on another host", async () => {
    const ctx = await loggingRunContext();
    const lock = await takeLock(lockFile(ctx), "held by the test");
    const stop = new AbortController();
    const options = trainingOptions(ctx);
    setTimeout(() => stop.abort(), 100);
    await expect(resolveSourceRun(sourcePath, { ...ctx, signal: stop.signal }, options))
      .rejects.toThrow(`Stopped while waiting for process ${process.pid} to train ${sourcePath} (training.initFrom); this run was not started`);
    expect(options.calls).toBe(0);
    if (lock.taken) await lock.release();

    await writeFile(lockFile(ctx), JSON.stringify({ pid: 1, host: "elsewhere.example", since: "2026-01-01T00:00:00Z", purpose: "p" }));
    const again = new AbortController();
    setTimeout(() => again.abort(), 100);
    await expect(resolveSourceRun(sourcePath, { ...ctx, signal: again.signal }, options)).rejects.toThrow(/Stopped while waiting/);
    expect(ctx.logs.join("\n")).toContain(`process 1 on elsewhere.example is training ${sourcePath} since 2026-01-01T00:00:00Z; waiting for its run; if that host is gone, delete ${lockFile(ctx)}`);
  });

  it("waits for a run of the source config that a live process here is training (a fer run of it, a sweep's source step)", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, { name: "teacher" }));
    const run = await createRun(ctx.resultsRoot, config, { name: "teacher", now: new Date() });
    const manifest = { id: run.id, name: "teacher", status: "running", seed: config.seed, process: currentRunProcess() };
    await writeRunJson(run, "manifest", manifest);
    const stop = new AbortController();
    const options = trainingOptions(ctx);
    setTimeout(() => stop.abort(), 100);
    await expect(resolveSourceRun(sourcePath, { ...ctx, signal: stop.signal }, options)).rejects.toThrow(/Stopped while waiting/);
    expect(options.calls).toBe(0);
    expect(ctx.logs.join("\n")).toContain(`is training ${sourcePath} as run ${run.id}; waiting for its run`);
    // Once that process is gone the run is stale, not training: the source is trained.
    await writeRunJson(run, "manifest", { ...manifest, process: { pid: 2147483646, host: currentRunProcess().host } });
    expect((await resolveSourceRun(sourcePath, ctx, options)).origin).toBe("trained");
    expect(options.calls).toBe(1);
  });
});

describe("a source config trained in sittings", () => {
  it("is not trained again from its first epoch: the next run goes on with the source's stopped run", async () => {
    const ctx = await loggingRunContext();
    const dir = await mkdtemp(join(tmpdir(), "fer-source-sittings-"));
    const source = join(dir, "long_source.json");
    await writeFile(source, JSON.stringify(tinyRunConfig(dataRoot, { name: "long_source" }, { epochs: 3 })));
    const student = parseRunConfig(tinyRunConfig(dataRoot, { name: "student" }, { initFrom: source }));
    // The first sitting ends inside the source's training (the limit counts the source's epochs: it trains first).
    const stop = sittingStop({ afterEpoch: 1 });
    await expect(runExperiment(student, { ...ctx, signal: stop.signal, callbacks: [stop.callback] })).rejects.toThrow(
      /Training of .*long_source\.json \(training\.initFrom\) was interrupted; its run \S+ is kept with its checkpoint and goes on from there when this is run again/,
    );
    const [sourceRun] = await readdir(join(ctx.resultsRoot, "runs"));
    expect(await historyRows(ctx.resultsRoot, sourceRun)).toBe(1);
    // The next sitting goes on with the source from epoch 1 (not a second source run), then trains the student from it.
    ctx.logs.length = 0;
    const outcome = await runExperiment(student, ctx);
    expect(outcome.manifest.status).toBe("completed");
    expect(ctx.logs).toContain(`training.initFrom: run ${sourceRun} of ${source} stopped before it completed, with its checkpoint: going on with it first`);
    expect((await readdir(join(ctx.resultsRoot, "runs"))).sort()).toEqual([sourceRun, outcome.run.id].sort());
    const sourceManifest = JSON.parse(await readFile(join(ctx.resultsRoot, "runs", sourceRun, "manifest.json"), "utf8"));
    expect(sourceManifest).toMatchObject({ status: "completed", resumes: [{ fromEpoch: 1 }] });
    expect(await historyRows(ctx.resultsRoot, sourceRun)).toBe(3);
    expect(outcome.manifest.initFrom).toMatchObject({ run: sourceRun, source: "trained" });
  });
});

async function historyRows(resultsRoot: string, runId: string): Promise<number> {
  return (await readFile(join(resultsRoot, "runs", runId, "history.csv"), "utf8")).trim().split("\n").length - 1;
}
