import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { Callback } from "../../src/train/callback.ts";

let dir = "", results = "", interruptedId = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fer-cli-resume-"));
  results = join(dir, "results");
  const dataRoot = join(dir, "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 6, test: 6 }, seed: 3 });
  const controller = new AbortController();
  class StopAfterFirstEpoch extends Callback {
    override onEpochEnd() {
      controller.abort();
    }
  }
  const config = parseRunConfig({
    name: "tiny",
    seed: 1,
    backend: "wasm",
    dataset: { root: dataRoot, size: 24 },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 3, batchSize: 16 },
  });
  const { run } = await runExperiment(config, {
    projectRoot: ".", resultsRoot: results, cacheDir: null, log: () => {}, write: () => {}, interactive: false, imagePlots: false,
    signal: controller.signal, callbacks: [new StopAfterFirstEpoch()],
  });
  interruptedId = run.id;
});

function cli(...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_CACHE: join(dir, "cache") });
}

describe("fer resume", () => {
  it("show names the command that resumes an interrupted run", async () => {
    const { out } = await cli("show", interruptedId);
    expect(out).toContain(`deno task fer resume ${interruptedId}`);
  });

  it("goes on with an interrupted run and prints its summary", async () => {
    const { code, out, err } = await cli("resume", interruptedId, "--no-images");
    expect(err).toContain(`Resuming run ${interruptedId} (interrupted) after epoch 1 of 3`);
    expect(out).toMatch(new RegExp(`Run ${interruptedId}: completed \\(SYNTHETIC data\\)`));
    expect(out).toContain("epochs 3,");
    expect(code).toBe(0);
    expect((await cli("show", interruptedId)).out).toMatch(/resumed \S+ after epoch 1 \(it was interrupted\), code \w+.*, backend wasm \(float32\)/);
  });

  it("says why a run cannot be resumed, with exit status 1", async () => {
    const completed = await cli("resume", interruptedId);
    expect(completed.code).toBe(1);
    expect(completed.err).toContain("completed; there is nothing to resume");
    const missing = await cli("resume", "no-such-run");
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No run "no-such-run"');
    expect((await cli("resume")).err).toMatch(/run-id|argument/i);
  });

  it("has help", async () => {
    const { code, out } = await cli("resume", "--help");
    expect(code).toBe(0);
    expect(out).toContain("Usage: deno task fer resume <run-id>");
  });
});
