/**
 * The Ray engine against a real single-node Ray: `ray start --head` from
 * `deno task setup:ray`'s .ray/venv (or the cluster FER_RAY_ADDRESS names,
 * as .ci/run starts one). Skipped, with the reason, where Ray is not set up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { callCli } from "../in_process_cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { rayLayout } from "../../src/sweep/setup_ray.ts";
import type { TrialRecord } from "../../src/sweep/sweep_folder.ts";

const ray = rayLayout(process.cwd()).ray;
const givenAddress = process.env.FER_RAY_ADDRESS;
const available = givenAddress !== undefined || existsSync(ray);
const why = available ? "" : " (skipped: Ray is not set up; run deno task setup:ray, or set FER_RAY_ADDRESS to a running cluster's dashboard URL)";

let dir = "", results = "", dataRoot = "", address = givenAddress ?? "", ownHead = false;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function writeSweep(name: string, spec: Record<string, unknown>): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify({
    kind: "sweep",
    name,
    base: {
      name: "tiny",
      backend: "wasm",
      dataset: { root: dataRoot, size: 24 },
      model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
      training: { epochs: 1, batchSize: 16 },
    },
    seeds: [3],
    ...spec,
  }));
  return path;
}

function cli(...args: string[]) {
  return callCli(args, { ...process.env, FER_RESULTS: results, FER_CACHE: join(dir, "cache") });
}

const state = async (name: string) => JSON.parse(await readFile(join(results, "sweeps", name, "state.json"), "utf8")) as TrialRecord[];

describe.skipIf(!available)(`fer sweep --engine ray on a single-node Ray${why}`, () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fer-ray-"));
    results = join(dir, "results");
    dataRoot = join(dir, "synthetic");
    await generateSyntheticDataset(dataRoot, { perClass: { train: 8, validation: 4, test: 4 }, seed: 3 });
    if (givenAddress) return;
    const [port, dashboard] = [await freePort(), await freePort()];
    const started = spawnSync(ray, [
      "start", "--head", `--port=${port}`, `--dashboard-port=${dashboard}`, "--dashboard-host=127.0.0.1",
      "--num-cpus=2", "--disable-usage-stats", `--temp-dir=${join(dir, "ray")}`,
    ], { encoding: "utf8", env: { ...process.env, RAY_DASHBOARD_SUBPROCESS_MODULE_WAIT_READY_TIMEOUT: "240" } });
    if (started.status !== 0) throw new Error(`ray start failed: ${started.stderr.slice(-2000)}`);
    ownHead = true;
    address = `http://127.0.0.1:${dashboard}`;
  }, 300_000);

  afterAll(() => {
    if (ownHead) spawnSync(ray, ["stop"], { encoding: "utf8" });
  }, 120_000);

  it("runs a 2x2 sweep as Ray jobs, recording job ids and nodes, with the metrics a local run gives", async () => {
    const path = await writeSweep("ray_grid", {
      parameters: { "training.optimizer.learningRate": { grid: [0.001, 0.01] }, "model.denseUnits": { grid: [8, 16] } },
    });
    const { code, out, err } = await cli("sweep", path, "--engine", "ray", "--address", address, "--no-images");
    expect(err).toContain(`on Ray cluster at ${address}`);
    expect(out).toContain("Sweep ray_grid: 4 completed, 0 failed");
    expect(code).toBe(0);
    const records = await state("ray_grid");
    for (const record of records) {
      expect(record).toMatchObject({ status: "completed", engine: "ray", attempts: 1 });
      expect(record.jobId).toMatch(new RegExp(`^fer-ray_grid-${record.key}-a1-`));
      expect(record.node).toMatch(/node [0-9a-f]{8}/);
      expect(await readFile(join(results, "sweeps", "ray_grid", record.log!), "utf8")).toContain(`Run ${record.runId}: completed`);
    }
    // The same trial config run here, outside Ray, scores exactly the same.
    const local = await cli("run", join(results, "sweeps", "ray_grid", "trials", "t004-seed3.json"), "--no-images");
    expect(local.code).toBe(0);
    const localId = local.out.match(/Run (\S+): completed/)![1];
    const read = async (id: string) => JSON.parse(await readFile(join(results, "runs", id, "metrics.json"), "utf8")) as RunMetrics;
    const [viaRay, here] = [await read(records[3].runId!), await read(localId)];
    expect(here.validation.accuracy).toBe(viaRay.validation.accuracy);
    expect(here.test?.macroF1).toBe(viaRay.test?.macroF1);
  }, 600_000);

  it("records a trial that fails on purpose with the job's log, and keeps it failed on a rerun", async () => {
    const path = await writeSweep("ray_fail", {
      settings: [{ "dataset.root": join(dir, "no-such-dataset") }],
      retries: 0,
    });
    const { code, err } = await cli("sweep", path, "--engine", "ray", "--address", address, "--no-images");
    expect(code).toBe(1);
    expect(err).toMatch(/t001-seed3 .* failed on .*Ray job FAILED/);
    const [record] = await state("ray_fail");
    expect(record).toMatchObject({ status: "failed", attempts: 1, failures: 1, runId: null });
    expect(record.jobId).toMatch(/^fer-ray_fail-t001-seed3-a1-/);
    expect(await readFile(join(results, "sweeps", "ray_fail", record.log!), "utf8")).toContain("no-such-dataset");
    const again = await cli("sweep", path, "--engine", "ray", "--address", address, "--no-images");
    expect(again.out).toContain("(0 run now, 0 skipped as already completed)");
  }, 300_000);

  it("says where no job server answers", async () => {
    const port = await freePort();
    const { code, err } = await cli("sweep", await writeSweep("ray_none", {}), "--engine", "ray", "--address", `127.0.0.1:${port}`);
    expect(code).toBe(1);
    expect(err).toContain(`No Ray job server answers at http://127.0.0.1:${port}`);
  });
});
