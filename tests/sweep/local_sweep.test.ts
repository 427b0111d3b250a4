import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { main } from "../../src/cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { localEngine } from "../../src/sweep/local_engine.ts";
import { readSweepFile } from "../../src/sweep/read_sweep_file.ts";
import { runSweep } from "../../src/sweep/run_sweep.ts";
import type { TrialRecord } from "../../src/sweep/sweep_folder.ts";
import { trialCommand, type TrialEngine, type TrialLaunch } from "../../src/sweep/trial_engine.ts";
import { sittingStop } from "../../src/train/sitting_limit.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { Callback } from "../../src/train/callback.ts";
import { callCli } from "../in_process_cli.ts";

let dir = "", results = "", sweepPath = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fer-sweep-"));
  results = join(dir, "results");
  const dataRoot = join(dir, "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 8, validation: 4, test: 4 }, seed: 3 });
  sweepPath = join(dir, "sweep.json");
  await writeFile(sweepPath, JSON.stringify({
    kind: "sweep",
    name: "local_test",
    base: {
      name: "tiny",
      backend: "wasm",
      dataset: { root: dataRoot, size: 24 },
      model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
      training: { epochs: 1, batchSize: 16 },
    },
    // Two settings that train, and one whose dataset does not exist: it fails at run time, on purpose.
    settings: [
      { "training.optimizer.learningRate": 0.001 },
      { "training.optimizer.learningRate": 0.01 },
      { "training.optimizer.learningRate": 0.01, "dataset.root": join(dir, "no-such-dataset") },
    ],
    seeds: [5],
    retries: 1,
  }));
});

function cli(...args: string[]) {
  return callCli(args, { ...process.env, FER_RESULTS: results, FER_CACHE: join(dir, "cache") });
}

const state = async () => JSON.parse(await readFile(join(results, "sweeps", "local_test", "state.json"), "utf8")) as TrialRecord[];

/**
 * An engine that runs each launch in this process as a sitting that ends after its first epoch, as a time budget
 * would end it (the command exits 0, the run interrupted with its checkpoint), and then moves the test's clock.
 */
function oneEpochSittings(resultsRoot: string, onLaunch: (launch: TrialLaunch) => void, tookSeconds: () => void): TrialEngine {
  return {
    name: "local",
    description: "in-process",
    async runTrial(launch, { onPlacement }) {
      await onPlacement({ jobId: null, node: "local" });
      onLaunch(launch);
      const stop = sittingStop({ afterEpoch: 1 });
      await runExperiment(parseRunConfig(JSON.parse(await readFile(launch.configPath, "utf8"))), {
        projectRoot: process.cwd(), resultsRoot, cacheDir: null, log: () => {}, write: () => {}, interactive: false, imagePlots: false,
        signal: stop.signal, callbacks: [stop.callback],
      });
      tookSeconds();
      return { ok: true, interrupted: false, message: "exit code 0", jobId: null, node: "local" };
    },
  };
}

/** A sweep of two distillation weights whose trials share one teacher config, trained for `teacherEpochs`; returns both paths. */
async function teacherSweep(name: string, teacher: string, teacherEpochs: number): Promise<{ path: string; teacherPath: string }> {
  const tiny = { backend: "wasm", dataset: { root: join(dir, "synthetic"), size: 24 }, model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 } };
  const teacherPath = join(dir, `${teacher}.json`);
  await writeFile(teacherPath, JSON.stringify({ ...tiny, name: teacher, training: { epochs: teacherEpochs, batchSize: 16 } }));
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({
    kind: "sweep",
    name,
    base: { ...tiny, name: "tiny_student", training: { epochs: 1, batchSize: 16, distill: { teachers: [teacherPath], weight: 0.5, temperature: 1 } } },
    settings: [{ "training.distill.weight": 0.3 }, { "training.distill.weight": 0.7 }],
    seeds: [5],
  }));
  return { path, teacherPath };
}

describe("fer sweep on the local engine", () => {
  it("--dry-run lists the trials and runs none", async () => {
    const { code, out } = await cli("sweep", sweepPath, "--dry-run");
    expect(code).toBe(0);
    expect(out).toContain("3 trials (3 settings x 1 seeds)");
    expect(out).toMatch(/t002-seed5 {2}seed 5 {2}training\.optimizer\.learningRate=0\.01\n/);
    await expect(readdir(join(results, "sweeps"))).rejects.toThrow();
  });

  it("runs every trial as a run folder, records the failing one with its log and retries, and summarises", async () => {
    const { code, out, err } = await cli("sweep", sweepPath, "--no-images");
    expect(code).toBe(1);
    expect(out).toContain("Sweep local_test: 2 completed, 1 failed");
    expect(err).toMatch(/t003-seed5 failed \(exit code 1; see logs\/t003-seed5\.attempt1\.log\); retrying/);
    const records = await state();
    expect(records.map((r) => r.status)).toEqual(["completed", "completed", "failed"]);
    expect(records[2]).toMatchObject({ attempts: 2, failures: 2, runId: null, node: "local" });
    expect(await readFile(join(results, "sweeps", "local_test", records[2].log!), "utf8")).toContain("no-such-dataset");
    const runs = await readdir(join(results, "runs"));
    expect(runs.sort()).toEqual([records[0].runId, records[1].runId].sort());
    const config = JSON.parse(await readFile(join(results, "runs", records[1].runId!, "config.json"), "utf8"));
    expect(config).toMatchObject({ name: "local_test-t002-seed5", seed: 5, training: { optimizer: { learningRate: 0.01 } } });
    const folder = (await readdir(join(results, "sweeps", "local_test"))).sort();
    expect(folder).toEqual(expect.arrayContaining(["best.json", "comparison.csv", "plots", "state.json", "summary.csv", "summary.md", "sweep.json", "trials.csv"]));
    const csv = await readFile(join(results, "sweeps", "local_test", "trials.csv"), "utf8");
    expect(csv.split("\n")[1]).toMatch(/^t001-seed5,t001,5,completed,1,0\.001,,/);
    expect(out).toMatch(/Best on validation: t00[12]/);
    // Each completed trial keeps its run's validation calibration error, which the summary averages over seeds.
    const runMetrics = JSON.parse(await readFile(join(results, "runs", records[0].runId!, "metrics.json"), "utf8"));
    expect(records[0].metrics?.valEce).toBe(runMetrics.validation.expectedCalibrationError);
    expect(out).toMatch(/t001 .* val ECE \d\.\d{3} ± 0\.000 /);
  });

  it("resumes: a rerun skips completed trials and leaves a failed trial whose retries are used up", async () => {
    const before = await state();
    // A sweep recorded before trials kept their calibration error: the rerun reads it from the run folders.
    const statePath = join(results, "sweeps", "local_test", "state.json");
    await writeFile(statePath, JSON.stringify(before.map((r) => (r.metrics ? { ...r, metrics: { ...r.metrics, valEce: undefined } } : r))));
    const { out } = await cli("sweep", sweepPath, "--no-images");
    expect(out).toContain("(0 run now, 2 skipped as already completed)");
    const after = await state();
    expect(after.map((r) => r.runId)).toEqual(before.map((r) => r.runId));
    expect(after.map((r) => r.metrics)).toEqual(before.map((r) => r.metrics));
    expect(after[0].metrics?.valEce).toEqual(expect.any(Number));
    expect(after[2].attempts).toBe(2);
  });

  it("--retry-failed gives a failed trial a fresh allowance", async () => {
    const { err } = await cli("sweep", sweepPath, "--no-images", "--retry-failed");
    expect(err).toContain("t003-seed5 failed (exit code 1; see logs/t003-seed5.attempt3.log)");
    expect((await state())[2]).toMatchObject({ status: "failed", attempts: 4 });
  });

  it("refuses a changed spec under the same name", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    await writeFile(join(dir, "changed.json"), JSON.stringify({ ...spec, seeds: [6] }));
    const { code, err } = await cli("sweep", join(dir, "changed.json"), "--dry-run");
    expect(code).toBe(0);
    const run = await cli("sweep", join(dir, "changed.json"));
    expect(run.code).toBe(1);
    expect(run.err).toContain('holds a different sweep named "local_test"');
    expect(err).toBe("");
  });

  it("marks a trial stopped by an interrupt as interrupted, and a rerun runs it to completion", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    const path = join(dir, "interrupt.json");
    await writeFile(path, JSON.stringify({ ...spec, name: "local_interrupt", settings: [spec.settings[0]] }));
    const env = { ...process.env, FER_RESULTS: results, FER_CACHE: join(dir, "cache") };
    const engine = localEngine({ projectRoot: process.cwd(), denoPath: process.execPath, env, resultsRoot: results });
    const controller = new AbortController();
    // Interrupt as soon as the child process has started.
    const interrupting: TrialEngine = { ...engine, runTrial: (launch, options) => engine.runTrial(launch, { ...options, onPlacement: async (p) => {
      await options.onPlacement(p);
      setTimeout(() => controller.abort(), 300);
    } }) };
    const first = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine: interrupting, log: () => {}, signal: controller.signal });
    expect(first.counts).toMatchObject({ interrupted: 1, completed: 0 });
    const second = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine, log: () => {} });
    expect(second.folder.records.get("t001-seed5")).toMatchObject({ status: "completed", attempts: 2, failures: 0 });
  });

  it("goes on with a trial's run from its checkpoint when the trial was interrupted after an epoch", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    const path = join(dir, "resume.json");
    await writeFile(path, JSON.stringify({ ...spec, name: "local_resume", base: { ...spec.base, training: { epochs: 3, batchSize: 16 } }, settings: [spec.settings[0]] }));
    // First invocation: the trial trains in this process and is stopped when its first epoch ends (a Ctrl-C then).
    const stopAfterFirstEpoch: TrialEngine = {
      name: "local",
      description: "in-process",
      async runTrial(launch, { onPlacement }) {
        await onPlacement({ jobId: null, node: "local" });
        const stop = new AbortController();
        class Stop extends Callback {
          override onEpochEnd() {
            stop.abort();
          }
        }
        const config = parseRunConfig(JSON.parse(await readFile(launch.configPath, "utf8")));
        await runExperiment(config, {
          projectRoot: process.cwd(), resultsRoot: results, cacheDir: null, log: () => {}, write: () => {}, interactive: false, imagePlots: false,
          signal: stop.signal, callbacks: [new Stop()],
        });
        return { ok: false, interrupted: true, message: "interrupted", jobId: null, node: "local" };
      },
    };
    const first = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine: stopAfterFirstEpoch, log: () => {} });
    const stopped = first.folder.records.get("t001-seed5")!;
    expect(stopped).toMatchObject({ status: "interrupted", runId: expect.stringContaining("-local_resume-t001-seed5-") });

    // Second invocation, real child processes: `fer resume` of that run, not a new run.
    const env = { ...process.env, FER_RESULTS: results, FER_CACHE: join(dir, "cache") };
    const engine = localEngine({ projectRoot: process.cwd(), denoPath: process.execPath, env, resultsRoot: results });
    const lines: string[] = [];
    const second = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine, log: (line) => lines.push(line) });
    expect(lines[0]).toContain("1 to run on local child processes");
    expect(lines[0]).toContain("(1 resumed from their runs' checkpoints)");
    expect(lines).toContain(`t001-seed5: going on with run ${stopped.runId} from its checkpoint`);
    expect(second.folder.records.get("t001-seed5")).toMatchObject({ status: "completed", attempts: 2, failures: 0, runId: stopped.runId });
    const manifest = JSON.parse(await readFile(join(results, "runs", stopped.runId!, "manifest.json"), "utf8"));
    expect(manifest.resumes).toMatchObject([{ fromEpoch: 1, after: "interrupted" }]);
    expect((await readFile(join(results, "runs", stopped.runId!, "history.csv"), "utf8")).trim().split("\n")).toHaveLength(4);
  });

  it("a time budget pauses the running trial at an epoch's end and starts no other; the next invocation goes on", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    const path = join(dir, "budget.json");
    await writeFile(path, JSON.stringify({ ...spec, name: "local_budget", base: { ...spec.base, training: { epochs: 3, batchSize: 16 } }, settings: spec.settings.slice(0, 2) }));
    const env = { ...process.env, FER_RESULTS: results, FER_CACHE: join(dir, "cache") };
    const engine = localEngine({ projectRoot: process.cwd(), denoPath: process.execPath, env, resultsRoot: results });
    await expect(runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine, log: () => {}, timeBudgetSeconds: 0 })).rejects
      .toThrow(/time budget is 0 s; give a time > 0/);
    // First invocation, in this process on a clock the test moves: the trial gets what is left of the budget (its
    // command line would say --time-budget 60s), its sitting ends after its first epoch as that budget would end it
    // (the command exits 0, the run interrupted with its checkpoint), and the trial took 90 s: the budget is spent.
    let clock = 0;
    const budgets: (number | undefined)[] = [];
    const sittingOfOneEpoch = oneEpochSittings(results, (launch) => {
      budgets.push(launch.timeBudgetSeconds);
      expect(trialCommand(launch)).toEqual(["run", launch.configPath, "--time-budget", "60s", "--no-images"]);
    }, () => (clock += 90));
    const lines: string[] = [];
    const first = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: results, engine: sittingOfOneEpoch, log: (line) => lines.push(line), timeBudgetSeconds: 60, now: () => clock,
    });
    expect(budgets).toEqual([60]);
    const paused = first.folder.records.get("t001-seed5")!;
    expect(paused).toMatchObject({ status: "interrupted", failures: 0, message: expect.stringContaining("paused by the sweep's time budget") });
    expect(first.folder.records.get("t002-seed5")).toMatchObject({ status: "pending", attempts: 0 });
    expect(first.notStarted).toBe(1);
    expect(lines.at(-1)).toBe("Time budget of 1m00s spent: 1 trial(s) paused with their checkpoints, 1 not started; run the sweep again to go on");
    expect((await readFile(join(results, "runs", paused.runId!, "history.csv"), "utf8")).trim().split("\n")).toHaveLength(2);

    // Second invocation, real child processes and no budget: the paused trial resumes, the other starts.
    const second = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: results, engine, log: () => {} });
    expect(second.folder.records.get("t001-seed5")).toMatchObject({ status: "completed", attempts: 2, failures: 0, runId: paused.runId });
    expect(second.folder.records.get("t002-seed5")).toMatchObject({ status: "completed", attempts: 1 });
    expect(second.notStarted).toBe(0);
  });

  it("a trial paused by the time budget ends the invocation, though time is left: no other trial starts only to overrun it", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    const path = join(dir, "budget_paused.json");
    await writeFile(path, JSON.stringify({ ...spec, name: "local_budget_paused", base: { ...spec.base, training: { epochs: 3, batchSize: 16 } }, settings: spec.settings.slice(0, 2) }));
    // The trial's sitting ends after its first epoch (its next would end past the budget) 30 s into a 60 s budget.
    let clock = 0;
    const launched: string[] = [];
    const lines: string[] = [];
    const outcome = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: results, engine: oneEpochSittings(results, (launch) => launched.push(launch.key), () => (clock += 30)),
      log: (line) => lines.push(line), timeBudgetSeconds: 60, now: () => clock,
    });
    expect(launched).toEqual(["t001-seed5"]);
    expect(outcome.folder.records.get("t002-seed5")).toMatchObject({ status: "pending", attempts: 0 });
    expect(outcome.notStarted).toBe(1);
    expect(lines.at(-1)).toBe(
      "Time budget of 1m00s over with 30s left (t001-seed5 was paused: its next epoch would end past it): " +
        "1 trial(s) paused with their checkpoints, 1 not started; run the sweep again to go on",
    );
  });

  it("a trial that completes with less time left than its epochs took starts no next trial", async () => {
    const spec = JSON.parse(await readFile(sweepPath, "utf8"));
    const path = join(dir, "budget_completed.json");
    await writeFile(path, JSON.stringify({ ...spec, name: "local_budget_completed", settings: spec.settings.slice(0, 2) }));
    // The trial trains its one epoch here; its history then says the epoch took 50 s, and the clock moves 50 s: 10 s
    // of the 60 s budget are left, less than the next trial's first epoch would take if it is like this one.
    let clock = 0;
    const launched: string[] = [];
    const completesInFiftySeconds: TrialEngine = {
      name: "local",
      description: "in-process",
      async runTrial(launch, { onPlacement }) {
        await onPlacement({ jobId: null, node: "local" });
        launched.push(launch.key);
        const { run } = await runExperiment(parseRunConfig(JSON.parse(await readFile(launch.configPath, "utf8"))), {
          projectRoot: process.cwd(), resultsRoot: results, cacheDir: null, log: () => {}, write: () => {}, interactive: false, imagePlots: false,
        });
        const history = join(run.dir, "history.csv");
        const [header, ...rows] = (await readFile(history, "utf8")).trim().split("\n");
        await writeFile(history, [header, ...rows.map((row) => row.replace(/,[^,]*$/, ",50"))].join("\n") + "\n");
        clock += 50;
        return { ok: true, interrupted: false, message: "exit code 0", jobId: null, node: "local" };
      },
    };
    const lines: string[] = [];
    const outcome = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: results, engine: completesInFiftySeconds, log: (line) => lines.push(line), timeBudgetSeconds: 60, now: () => clock,
    });
    expect(launched).toEqual(["t001-seed5"]);
    expect(outcome.folder.records.get("t001-seed5")).toMatchObject({ status: "completed" });
    expect(outcome.folder.records.get("t002-seed5")).toMatchObject({ status: "pending", attempts: 0 });
    expect(lines.at(-1)).toBe(
      "Time budget of 1m00s over with 10s left (the next trial's first epoch, about 50s as t001-seed5's, would end past it): " +
        "0 trial(s) paused with their checkpoints, 1 not started; run the sweep again to go on",
    );
    // With more time left the next trial starts.
    clock = 0;
    launched.length = 0;
    const roomy = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: results, engine: completesInFiftySeconds, log: () => {}, timeBudgetSeconds: 600, now: () => clock,
    });
    expect(launched).toEqual(["t002-seed5"]);
    expect(roomy.folder.records.get("t002-seed5")).toMatchObject({ status: "completed" });
  });

  it("a time budget pauses a source the trials share and starts no trial; the next invocation goes on with the source's run", async () => {
    const root = join(dir, "results-budget-sources");
    const { path, teacherPath } = await teacherSweep("budget_sources", "long_teacher", 3);
    // First invocation, one trial at a time, on a clock the test moves: with a budget the shared teacher is trained
    // first, as a sitting with what is left (here it ends after one epoch, as the budget would end it, and takes 90 s).
    let clock = 0;
    const launched: string[] = [];
    const sittingOfOneEpoch = oneEpochSittings(root, (launch) => launched.push(trialCommand(launch).slice(0, 4).join(" ")), () => (clock += 90));
    const lines: string[] = [];
    const first = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: root, engine: sittingOfOneEpoch, log: (line) => lines.push(line), timeBudgetSeconds: 60, now: () => clock,
    });
    expect(launched).toEqual([`run ${join(root, "sweeps", "budget_sources", "sources", "long_teacher.json")} --time-budget 60s`]);
    const [teacherRun] = await readdir(join(root, "runs"));
    expect(lines).toContain(`${teacherPath}: paused by the sweep's time budget (run ${teacherRun} keeps its checkpoint); no trial starts without it: run the sweep again to go on`);
    expect([...first.folder.records.values()].map((r) => r.status)).toEqual(["pending", "pending"]);
    expect(first.notStarted).toBe(2);

    // Second invocation, real child processes and a budget they fit in: the teacher's run goes on from its
    // checkpoint (fer resume, not a second teacher run), then both trials run and learn from it.
    const env = { ...process.env, FER_RESULTS: root, FER_CACHE: join(dir, "cache") };
    const engine = localEngine({ projectRoot: process.cwd(), denoPath: process.execPath, env, resultsRoot: root });
    lines.length = 0;
    const second = await runSweep(await readSweepFile(path, process.cwd()), { resultsRoot: root, engine, log: (line) => lines.push(line), timeBudgetSeconds: 3600 });
    expect(lines).toContain(
      `${teacherPath} (training.distill.teachers of 2 trials) has no completed run: going on with its run ${teacherRun}, which stopped with its checkpoint, ` +
        "before the trials (log: logs/source-long_teacher.attempt1.log)",
    );
    expect([...second.folder.records.values()].map((r) => r.status)).toEqual(["completed", "completed"]);
    const runs = await readdir(join(root, "runs"));
    expect(runs.filter((id) => id.includes("-long_teacher-"))).toEqual([teacherRun]);
    const teacher = JSON.parse(await readFile(join(root, "runs", teacherRun, "manifest.json"), "utf8"));
    expect(teacher).toMatchObject({ status: "completed", resumes: [{ fromEpoch: 1 }] });
  }, 120_000);

  it("trains a teacher its trials share once, before trials that run at once, and the trials reuse it", async () => {
    const root = join(dir, "results-sources");
    const { path, teacherPath } = await teacherSweep("local_sources", "tiny_teacher", 1);
    let err = "";
    const env = { ...process.env, FER_RESULTS: root, FER_CACHE: join(dir, "cache") };
    const code = await main(["sweep", path, "--parallel", "2", "--no-images"], { out: () => {}, err: (t) => (err += t), env });
    expect(code).toBe(0);
    expect(err).toContain(`${teacherPath} (training.distill.teachers of 2 trials) has no completed run: training it once, before the trials`);
    const runs = await readdir(join(root, "runs"));
    const teachers = runs.filter((id) => id.includes("-tiny_teacher-"));
    expect(teachers).toHaveLength(1);
    expect(err).toContain(`${teacherPath}: run ${teachers[0]} (`);
    const trials = runs.filter((id) => id.includes("-local_sources-t00"));
    expect(trials).toHaveLength(2);
    for (const id of trials) {
      const manifest = JSON.parse(await readFile(join(root, "runs", id, "manifest.json"), "utf8"));
      expect(manifest.distill.teachers).toMatchObject([{ run: teachers[0], source: "reused" }]);
    }
    // A rerun (with the teacher's run there) trains nothing first.
    err = "";
    expect(await main(["sweep", path, "--parallel", "2", "--no-images"], { out: () => {}, err: (t) => (err += t), env })).toBe(0);
    expect(err).not.toContain("training it once");
    expect((await readdir(join(root, "runs"))).length).toBe(3);
  }, 120_000);

  it("sweeps an ensemble's combiner: its members (by path and inline) trained once first, each trial an ensemble run reading their scores from the cache", async () => {
    const root = join(dir, "results-ensembles");
    const tiny = { backend: "wasm", dataset: { root: join(dir, "synthetic"), size: 24 }, model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 } };
    const memberPaths = [join(dir, "member_a.json"), join(dir, "member_b.json")];
    for (const [i, path] of memberPaths.entries()) {
      await writeFile(path, JSON.stringify({ ...tiny, name: `member_${"ab"[i]}`, seed: 20 + i, training: { epochs: 1, batchSize: 16 } }));
    }
    const path = join(dir, "ensemble_sweep.json");
    await writeFile(path, JSON.stringify({
      kind: "sweep",
      name: "ens_sweep",
      // Member b inline: the trials share it, so it too is trained once before them, not by each trial at once.
      base: {
        kind: "ensemble",
        name: "pair",
        backend: "wasm",
        members: [{ config: memberPaths[0] }, { config: JSON.parse(await readFile(memberPaths[1], "utf8")) }],
        fitting: { folds: 2 },
      },
      parameters: { combiner: { grid: ["soft_vote", "majority_vote", "log_linear_pool"] } },
      seeds: [3],
    }));
    let out = "", err = "";
    const env = { ...process.env, FER_RESULTS: root, FER_CACHE: join(dir, "cache-ensembles") };
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env };
    // The estimate: the members to train once, each scored once over the ensemble's views (none: one view).
    expect(await main(["sweep", path, "--estimate", "--steps", "1"], io)).toBe(0);
    expect(out).toContain("Members, as t001 makes them:");
    expect(out).toMatch(/^ {2}Member 0 \(member_a\): no completed run yet/m);
    expect(out).toMatch(/^ {2}t001 {2}combiner=\W?soft_vote\W?: 1 trial\(s\); \S+ to train members, 0s to score members no earlier trial scored over these views$/m);
    // The other combiners have the same members and views: not estimated again, nothing to add.
    expect(out).toMatch(/^ {2}t002 {2}combiner=\W?majority_vote\W?: 1 trial\(s\); the members and views of t001: nothing more to train or score$/m);
    expect(err.match(/^Estimating t00\d/gm)).toEqual(["Estimating t001"]);
    expect(out).toMatch(/^Estimated sweep time here, one trial after another: \S+: \S+ to train the members once, 0s to score each member once/m);
    err = "";
    expect(await main(["sweep", path, "--estimate", "--time-budget", "1h"], io)).toBe(1);
    expect(err).toContain("an ensemble sweep's trials train no epochs of their own");
    expect(existsSync(join(root, "runs"))).toBe(false);

    out = err = "";
    expect(await main(["sweep", path, "--parallel", "2", "--no-images"], io)).toBe(0);
    expect(err).toContain(`${memberPaths[0]} (members.0.config of 3 trials) has no completed run: training it once, before the trials`);
    expect(err).toContain(`inline config "member_b" (members.1.config of 3 trials) has no completed run: training it once, before the trials`);
    const runs = await readdir(join(root, "runs"));
    expect(runs.filter((id) => /-member_[ab]-/.test(id))).toHaveLength(2);
    const trials = runs.filter((id) => id.includes("-ens_sweep-t00"));
    expect(trials).toHaveLength(3);
    const combiners: string[] = [];
    for (const id of trials) {
      const manifest = JSON.parse(await readFile(join(root, "runs", id, "manifest.json"), "utf8"));
      expect(manifest).toMatchObject({ kind: "ensemble", status: "completed" });
      expect(manifest.members.map((m: { source: string }) => m.source)).toEqual(["reused", "reused"]);
      combiners.push(JSON.parse(await readFile(join(root, "runs", id, "config.json"), "utf8")).combiner);
    }
    expect(combiners.sort()).toEqual(["log_linear_pool", "majority_vote", "soft_vote"]);
    // Each member kept its scores as its run finished: no trial scored a member again.
    for (const key of ["t001-seed3", "t002-seed3", "t003-seed3"]) {
      const log = await readFile(join(root, "sweeps", "ens_sweep", "logs", `${key}.attempt1.log`), "utf8");
      expect(log.match(/^Member [01] \(member_[ab]\): \d+ images over 1 view\(s\), scores read from the cache$/gm)).toHaveLength(2);
    }
    const records = JSON.parse(await readFile(join(root, "sweeps", "ens_sweep", "state.json"), "utf8")) as TrialRecord[];
    expect(records.map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    for (const record of records) expect(record.metrics!.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(out).toMatch(/Sweep ens_sweep: 3 completed, 0 failed/);
    // One seed gives no verdict across seeds; image by image against the best, each other combiner has one.
    const pairedLines = out.split("\n").filter((line) => / {2}t00\d {2}combiner=\S+ {2}seed 3, n=\d+: best - this /.test(line));
    expect(pairedLines).toHaveLength(2);
    expect(out).toMatch(/^ {2}Against the best \(t00\d\) image by image on validation, run against run of the same seed:$/m);
    expect(out).toContain("an ensemble trial's seed draws only its combiner's folds, so more seeds would not tell its settings apart");
    expect(await readFile(join(root, "sweeps", "ens_sweep", "summary.md"), "utf8")).toContain("image by image on validation");
  }, 180_000);

  it("an ensemble trial whose member's training the time budget paused is pending, not failed, and starts no other", async () => {
    const root = join(dir, "results-ensemble-budget");
    const path = join(dir, "ensemble_budget.json");
    await writeFile(path, JSON.stringify({
      kind: "sweep",
      name: "ens_budget",
      base: { kind: "ensemble", name: "pair", backend: "wasm", members: [{ run: "r1" }, { run: "r2" }] },
      parameters: { combiner: { grid: ["soft_vote", "majority_vote"] } },
      seeds: [3],
    }));
    // As fer run <ensemble> --time-budget does when the budget ends a member's training: exit 0, no ensemble run.
    const launches: TrialLaunch[] = [];
    const pausedMember: TrialEngine = {
      name: "local",
      description: "in-process",
      async runTrial(launch, { onPlacement }) {
        await onPlacement({ jobId: null, node: "local" });
        launches.push(launch);
        return { ok: true, interrupted: false, message: "exit code 0", jobId: null, node: "local" };
      },
    };
    const outcome = await runSweep(await readSweepFile(path, process.cwd()), {
      resultsRoot: root, engine: pausedMember, log: () => {}, timeBudgetSeconds: 600, now: () => 0,
    });
    expect(launches.map((l) => l.key)).toEqual(["t001-seed3"]);
    expect(outcome.folder.records.get("t001-seed3")).toMatchObject({
      status: "pending",
      failures: 0,
      message: "paused by the sweep's time budget while training a member; it goes on when the sweep runs again",
    });
    expect(outcome.folder.records.get("t002-seed3")).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("says which engines exist", async () => {
    const { code, err } = await cli("sweep", sweepPath, "--engine", "slurm");
    expect(code).toBe(1);
    expect(err).toContain('Unknown engine "slurm" for --engine; known: local, ray');
  });

  it("reads --time-budget as a duration and --until as a clock time, and refuses them where no trial runs", async () => {
    const bad = await cli("sweep", sweepPath, "--time-budget", "8");
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--time-budget 8 is not a duration; write it with units, e.g. 90m");
    const dry = await cli("sweep", sweepPath, "--time-budget", "8h", "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.err).toContain("--dry-run runs none");
    expect((await cli("sweep", "--help")).out).toContain("--time-budget   how long this invocation may take");
    // --until: the same budget to a clock time, read as fer run reads it.
    expect((await cli("sweep", sweepPath, "--until", "7pm")).err).toContain("--until 7pm is not a time");
    expect((await cli("sweep", sweepPath, "--until", "2020-01-01T00:00Z")).err).toContain("--until 2020-01-01T00:00Z has passed: no trial would run");
    expect((await cli("sweep", sweepPath, "--until", "07:30", "--estimate")).err).toContain("--until ends one invocation at a clock time; --estimate runs no trial");
    expect((await cli("sweep", "--help")).out).toContain("--until TIME    the same budget, to a clock time");
  });
});
