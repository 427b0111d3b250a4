import { beforeAll, describe, expect, it } from "vitest";
import { cp, mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { callCli } from "../in_process_cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { buildModel } from "../../src/models/build_model.ts";
import { saveModel } from "../../src/experiment/model_files.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { createRun, type RunHandle } from "../../src/experiment/run_store.ts";

let dir = "", dataRoot = "", results = "";

beforeAll(async () => {
  await tf.setBackend("cpu");
  dir = await mkdtemp(join(tmpdir(), "fer-eval-errors-"));
  dataRoot = join(dir, "synthetic");
  results = join(dir, "results");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 2, validation: 2, test: 2 }, size: 24, seed: 3 });
});

async function runWithModel(name: string): Promise<RunHandle> {
  const config = parseRunConfig({ name, backend: "cpu", dataset: { root: dataRoot, size: 24 }, model: { family: "small_cnn", filters: [2], denseUnits: 4 } });
  const run = await createRun(results, config, { name, now: new Date() });
  const model = buildModel({ family: "small_cnn", filters: [2], denseUnits: 4, inputShape: [24, 24, 1], numClasses: 4, seed: 1 });
  await saveModel(model, join(run.dir, "model"));
  model.dispose();
  return run;
}

function cli(env: Record<string, string>, ...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_CACHE: join(dir, "cache"), ...env });
}

describe("eval names what is wrong with a run's model", () => {
  it("says model.json is missing, and how to get a model, without a stack trace", async () => {
    const run = await runWithModel("nomodel");
    await rm(join(run.dir, "model"), { recursive: true });
    const { code, err } = await cli({}, "eval", run.id, dataRoot, "--split", "test");
    expect(code).toBe(1);
    expect(err).toContain(`RunError: No model in ${join(run.dir, "model")}: model.json is missing; the run saved no complete model`);
    expect(err).toContain("deno task fer rerun <run-id> --force");
  });

  it("says the weights are truncated", async () => {
    const run = await runWithModel("truncated");
    await truncate(join(run.dir, "model", "weights.bin"), 10);
    const { code, err } = await cli({}, "eval", run.id, dataRoot, "--split", "test");
    expect(code).toBe(1);
    expect(err).toMatch(/RunError: The model in \S+ is damaged: its weight files hold 10 bytes where model\.json describes \d+/);
  });

  it("says model.json is not a model", async () => {
    const run = await runWithModel("garbage");
    await writeFile(join(run.dir, "model", "model.json"), "<html>");
    const { code, err } = await cli({}, "eval", run.id, dataRoot, "--split", "test");
    expect(code).toBe(1);
    expect(err).toContain("is damaged: model.json is not a tfjs model");
  });

  it("names FER_BACKEND and its allowed values when it is wrong", async () => {
    const run = await runWithModel("envbackend");
    const { code, err } = await cli({ FER_BACKEND: "bogus" }, "eval", run.id, dataRoot);
    expect(code).toBe(1);
    expect(err).toContain('ConfigError: Environment variable FER_BACKEND is "bogus"; allowed: auto, wasm, webgpu, tensorflow, cpu');
  });

  it("lists the model families for a misspelled one", async () => {
    const path = join(dir, "typo.json");
    await writeFile(path, JSON.stringify({ name: "typo", model: { family: "smal_cnn" } }));
    const { code, err } = await cli({}, "run", path);
    expect(code).toBe(1);
    expect(err).toContain('model.family: unknown "smal_cnn" as "family"; allowed: small_cnn, capstone_cnn, vgg_like, resnet_like, mobilenet_v2_like, xception_like, transfer');
  });
});

describe("eval on a root with only the split asked for", () => {
  it("evaluates --split test when the root has no train/ or validation/", async () => {
    const run = await runWithModel("testonly");
    const root = join(dir, "test_only");
    await cp(dataRoot, root, { recursive: true });
    await rm(join(root, "train"), { recursive: true });
    await rm(join(root, "validation"), { recursive: true });
    const { code, out, err } = await cli({}, "eval", run.id, root, "--split", "test", "--json");
    expect(err).not.toContain("Error");
    expect(code).toBe(0);
    expect(JSON.parse(out).splits.test.count).toBe(8);
  });

  it("names the splits a dataset can have for an unknown one", async () => {
    const run = await runWithModel("holdout");
    const { code, err } = await cli({}, "eval", run.id, dataRoot, "--split", "holdout");
    expect(code).toBe(1);
    expect(err).toContain(`ConfigError: Split "holdout" is not in ${dataRoot}: a dataset's splits are train, validation, test`);
  });
});
