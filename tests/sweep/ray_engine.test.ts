/**
 * The Ray engine's bookkeeping with an in-memory job server (no Ray needed):
 * what it submits, how it follows a job, and how a rerun after an interrupt
 * follows the job it left running instead of submitting it again.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRun, writeRunJson } from "../../src/experiment/run_store.ts";
import type { RayJobInfo, RayJobRequest, RayJobsClient, RayJobStatus } from "../../src/sweep/ray_jobs_client.ts";
import { rayEngine, trialEntrypoint } from "../../src/sweep/ray_engine.ts";
import { parseSweepConfig } from "../../src/sweep/sweep_config.ts";
import { runSweep } from "../../src/sweep/run_sweep.ts";

let results = "";
const base = { name: "tiny", backend: "wasm", model: { family: "small_cnn" }, training: { epochs: 1 } };
const spec = (retries = 0) => ({ sweep: parseSweepConfig({ kind: "sweep", name: "fake", base, seeds: [1], retries, resources: { cpus: 2, gpus: 1 } }), base });

/**
 * A job server whose jobs move through `script` one status per poll; a job that succeeds leaves a run folder, as `fer run`
 * would, unless `leavesRun` is false (`fer run --until` a time already past); `onPoll` runs at each poll.
 */
function fakeRay(script: RayJobStatus[], options: { leavesRun?: boolean; onPoll?: () => void } = {}) {
  const submitted: RayJobRequest[] = [];
  const polls = new Map<string, number>();
  const client: RayJobsClient = {
    address: "http://fake:8265",
    version: () => Promise.resolve("2.52.1"),
    submit: (request) => {
      submitted.push(request);
      return Promise.resolve(request.submission_id);
    },
    info: async (id): Promise<RayJobInfo> => {
      const n = polls.get(id) ?? 0;
      polls.set(id, n + 1);
      options.onPoll?.();
      const status = script[Math.min(n, script.length - 1)];
      if (status === "SUCCEEDED" && n === script.length - 1 && options.leavesRun !== false) {
        const run = await createRun(results, { name: "fake-t001-seed1" }, { name: "fake-t001-seed1", now: new Date() });
        await writeRunJson(run, "manifest", { status: "completed" });
        await writeRunJson(run, "metrics", { validation: { accuracy: 0.5, macroF1: 0.4 }, test: { accuracy: 0.25, macroF1: 0.2 } });
      }
      return {
        status,
        message: status === "FAILED" ? "Job entrypoint command failed with exit code 1" : null,
        submission_id: id,
        driver_node_id: "4f7fedbd030b03bc",
        driver_agent_http_address: "http://10.0.0.7:52365",
        driver_exit_code: status === "FAILED" ? 1 : null,
      };
    },
    logs: (id) => Promise.resolve(`log of ${id}\n`),
    stop: () => Promise.resolve(),
  };
  return { client, submitted, polls };
}

const engineFor = (client: RayJobsClient) =>
  rayEngine({ client, projectDir: "/srv/fer", resultsRoot: results, sweepName: "fake", pollSeconds: 0.01, uniqueSuffix: "x" });

beforeEach(async () => {
  results = join(await mkdtemp(join(tmpdir(), "fer-fake-ray-")), "results");
});

describe("rayEngine", () => {
  it("submits the trial's entrypoint with its resources and records job, node and log", async () => {
    const ray = fakeRay(["PENDING", "RUNNING", "SUCCEEDED"]);
    const outcome = await runSweep(spec(), { resultsRoot: results, engine: engineFor(ray.client), log: () => {} });
    expect(ray.submitted).toHaveLength(1);
    expect(ray.submitted[0]).toMatchObject({
      submission_id: "fer-fake-t001-seed1-a1-x",
      entrypoint_num_cpus: 2,
      entrypoint_num_gpus: 1,
      metadata: { sweep: "fake", trial: "t001-seed1", attempt: "1" },
    });
    expect(ray.submitted[0].entrypoint).toBe(
      `cd '/srv/fer' && FER_RESULTS='${results}' npx --no-install deno task fer 'run' '${join(results, "sweeps", "fake", "trials", "t001-seed1.json")}' '--no-images'`,
    );
    const record = outcome.folder.records.get("t001-seed1")!;
    expect(record).toMatchObject({ status: "completed", jobId: "fer-fake-t001-seed1-a1-x", node: "10.0.0.7 (node 4f7fedbd)", metrics: { valAccuracy: 0.5, testAccuracy: 0.25 } });
    expect(await readFile(join(outcome.folder.dir, record.log!), "utf8")).toContain("log of fer-fake-t001-seed1-a1-x");
  });

  it("records a failed job with Ray's message and exit code, and retries it as a new submission", async () => {
    const ray = fakeRay(["RUNNING", "FAILED"]);
    const outcome = await runSweep(spec(1), { resultsRoot: results, engine: engineFor(ray.client), log: () => {} });
    expect(ray.submitted.map((r) => r.submission_id)).toEqual(["fer-fake-t001-seed1-a1-x", "fer-fake-t001-seed1-a2-x"]);
    const record = outcome.folder.records.get("t001-seed1")!;
    expect(record).toMatchObject({ status: "failed", attempts: 2, failures: 2 });
    expect(record.message).toContain("Ray job FAILED (exit code 1): Job entrypoint command failed with exit code 1");
  });

  it("leaves a job running on an interrupt, and a rerun follows that job instead of submitting again", async () => {
    const ray = fakeRay(["RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"]);
    const controller = new AbortController();
    const engine = engineFor(ray.client);
    const interrupting = { ...engine, runTrial: (launch: Parameters<typeof engine.runTrial>[0], options: Parameters<typeof engine.runTrial>[1]) => {
      setTimeout(() => controller.abort(), 5);
      return engine.runTrial(launch, options);
    } };
    const first = await runSweep(spec(), { resultsRoot: results, engine: interrupting, log: () => {}, signal: controller.signal });
    expect(first.folder.records.get("t001-seed1")).toMatchObject({ status: "running", jobId: "fer-fake-t001-seed1-a1-x", attempts: 1 });
    const second = await runSweep(spec(), { resultsRoot: results, engine, log: () => {} });
    expect(ray.submitted).toHaveLength(1);
    expect(second.folder.records.get("t001-seed1")).toMatchObject({ status: "completed", jobId: "fer-fake-t001-seed1-a1-x", attempts: 1 });
  });

  it("quotes the paths and arguments of the entrypoint for the shell, with the time left of a budget and a run to resume", () => {
    const launch = { key: "t001-seed1", configPath: "/r/t.json", logPath: "/r/t.log", attempt: 1, resources: { cpus: 1, gpus: 0 } };
    expect(trialEntrypoint("/p/it's", "/r", launch)).toBe(`cd '/p/it'\\''s' && FER_RESULTS='/r' npx --no-install deno task fer 'run' '/r/t.json' '--no-images'`);
    expect(trialEntrypoint("/p", "/r", { ...launch, resumeRunId: "20261205-1-t-ab", timeBudgetSeconds: 99.2 }))
      .toBe(`cd '/p' && FER_RESULTS='/r' npx --no-install deno task fer 'resume' '20261205-1-t-ab' '--time-budget' '100s' '--no-images'`);
    expect(trialEntrypoint("/p", "/r", { ...launch, timeBudgetSeconds: 0.2 })).toContain(`'--time-budget' '1s'`);
    // With the budget's end on the clock, a job is told that instead: it may wait in the queue before it starts.
    expect(trialEntrypoint("/p", "/r", { ...launch, timeBudgetSeconds: 99.2, deadline: "2026-12-05T16:00:00.000Z" }))
      .toBe(`cd '/p' && FER_RESULTS='/r' npx --no-install deno task fer 'run' '/r/t.json' '--until' '2026-12-05T16:00:00.000Z' '--no-images'`);
  });

  it("gives a job the budget's end as --until, and one that began after it (queued) is not started rather than failed", async () => {
    let clock = 0;
    const ray = fakeRay(["PENDING", "PENDING", "SUCCEEDED"], { leavesRun: false, onPoll: () => (clock += 40) });
    const lines: string[] = [];
    const submittedAfter = Date.now();
    const outcome = await runSweep(spec(), {
      resultsRoot: results, engine: engineFor(ray.client), log: (line) => lines.push(line), timeBudgetSeconds: 60, now: () => clock,
    });
    const until = Date.parse(/'--until' '([^']+)'/.exec(ray.submitted[0].entrypoint)![1]);
    expect(until - submittedAfter).toBeGreaterThanOrEqual(60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(60_000);
    expect(outcome.folder.records.get("t001-seed1")).toMatchObject({
      status: "pending",
      failures: 0,
      runId: null,
      message: "its job began after the sweep's time budget had ended; it runs when the sweep runs again",
    });
    expect(outcome.notStarted).toBe(1);
    expect(lines.at(-1)).toBe("Time budget of 1m00s spent: 0 trial(s) paused with their checkpoints, 1 not started; run the sweep again to go on");
  });
});
