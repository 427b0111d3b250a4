import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { buildModel } from "../../src/models/build_model.ts";
import { saveModel } from "../../src/experiment/model_files.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { readRunJson } from "../../src/experiment/run_store.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { applyInitialWeights, classifierStart, initMismatches, type InitialWeights } from "../../src/experiment/initial_weights.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { main } from "../../src/cli.ts";
import { loggingRunContext, TINY_MODEL, tinyRunConfig } from "./experiment_fixtures.ts";

let dataRoot = "";
let sevenRoot = "";
beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), "fer-init-data-"));
  dataRoot = join(base, "four");
  sevenRoot = join(base, "five");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 4, test: 4 }, size: 24, seed: 3 });
  await generateSyntheticDataset(sevenRoot, {
    perClass: { train: 12, validation: 4, test: 4 },
    size: 24,
    seed: 4,
    classes: ["angry", "happy", "sad", "surprise", "neutral"],
  });
});

const model = TINY_MODEL;

function config(extra: Record<string, unknown> = {}, training: Record<string, unknown> = {}) {
  return tinyRunConfig(dataRoot, { name: "tiny", ...extra }, training);
}

const context = loggingRunContext;

describe("classifierStart", () => {
  it("copies the same classes, keeps shared columns of a superset, starts fresh otherwise", () => {
    expect(classifierStart(["happy", "sad"], ["happy", "sad"])).toBe("copied");
    expect(classifierStart(["happy", "sad"], ["sad", "happy"])).toBe("shared_columns");
    expect(classifierStart(["angry", "happy", "sad"], ["sad", "happy"])).toBe("shared_columns");
    expect(classifierStart(["happy", "sad"], ["happy", "fear"])).toBe("fresh");
  });
});

describe("initMismatches", () => {
  it("names a different model, size or preprocessing, and accepts other classes and training", () => {
    const source = parseRunConfig(config());
    const other = parseRunConfig(config({ dataset: { root: sevenRoot, size: 24, classes: ["angry", "happy"] } }, { epochs: 9 }));
    expect(initMismatches(source, other)).toEqual([]);
    const wider = parseRunConfig(config({ model: { ...model, filters: [8, 8] } }));
    expect(initMismatches(source, wider)).toHaveLength(1);
    expect(initMismatches(source, wider)[0]).toContain('"filters":[8,8]');
    const bigger = parseRunConfig(config({ dataset: { root: dataRoot, size: 32, preprocessing: "standardize" } }));
    expect(initMismatches(source, bigger).join("; ")).toMatch(/dataset\.size is 24.*dataset\.preprocessing is "scale_0_1"/);
  });
});

describe("applyInitialWeights", () => {
  it("copies every layer and the classifier's columns of the shared classes, in this run's order", async () => {
    await tf.setBackend("cpu");
    const sourceClasses = ["angry", "happy", "sad"];
    const spec = { family: "small_cnn" as const, filters: [4, 8], denseUnits: 8, inputShape: [24, 24, 1] as [number, number, number] };
    const source = buildModel({ ...spec, numClasses: 3, seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), "fer-init-source-"));
    await saveModel(source, join(dir, "model"));
    const target = buildModel({ ...spec, numClasses: 2, seed: 2 });
    const init: InitialWeights = { run: { id: "source-run", dir }, name: "source", source: "run", classes: sourceClasses, classifier: "shared_columns" };
    const line = await applyInitialWeights(target, init, ["sad", "angry"]);
    expect(line).toContain("columns of sad, angry out of its 3 classes");
    const sourceWeights = source.getWeights().map((w) => w.arraySync());
    source.dispose();
    // Read after the source model is gone: the target holds its own reference to the data.
    const targetWeights = target.getWeights().map((w) => w.arraySync());
    expect(targetWeights).toHaveLength(sourceWeights.length);
    const last = targetWeights.length - 1;
    for (let i = 0; i < last - 1; i++) expect(targetWeights[i]).toEqual(sourceWeights[i]);
    const sourceKernel = sourceWeights[last - 1] as number[][];
    const targetKernel = targetWeights[last - 1] as number[][];
    expect(targetKernel).toEqual(sourceKernel.map((row) => [row[2], row[0]]));
    const sourceBias = sourceWeights[last] as number[];
    expect(targetWeights[last]).toEqual([sourceBias[2], sourceBias[0]]);
    target.dispose();
  });

  it("leaves a fresh classifier as built when the source lacks a class", async () => {
    await tf.setBackend("cpu");
    const spec = { family: "small_cnn" as const, filters: [4], denseUnits: 4, inputShape: [24, 24, 1] as [number, number, number] };
    const source = buildModel({ ...spec, numClasses: 2, seed: 1 });
    const dir = await mkdtemp(join(tmpdir(), "fer-init-source-"));
    await saveModel(source, join(dir, "model"));
    const target = buildModel({ ...spec, numClasses: 2, seed: 2 });
    const built = target.getWeights().map((w) => w.arraySync());
    const init: InitialWeights = { run: { id: "source-run", dir }, name: "source", source: "run", classes: ["happy", "sad"], classifier: "fresh" };
    expect(await applyInitialWeights(target, init, ["happy", "fear"])).toContain("a fresh classifier");
    const after = target.getWeights().map((w) => w.arraySync());
    expect(after[0]).toEqual(source.getWeights()[0].arraySync());
    expect(after.slice(-2)).toEqual(built.slice(-2));
    source.dispose();
    target.dispose();
  });

  it("refuses a saved model whose layers do not match the built one", async () => {
    await tf.setBackend("cpu");
    const base = { family: "small_cnn" as const, denseUnits: 4, inputShape: [24, 24, 1] as [number, number, number], numClasses: 2 };
    const dir = await mkdtemp(join(tmpdir(), "fer-init-source-"));
    const source = buildModel({ ...base, filters: [4, 4], seed: 1 });
    await saveModel(source, join(dir, "model"));
    source.dispose();
    const target = buildModel({ ...base, filters: [4, 8], seed: 1 });
    const init: InitialWeights = { run: { id: "source-run", dir }, name: "source", source: "run", classes: ["a", "b"], classifier: "copied" };
    await expect(applyInitialWeights(target, init, ["a", "b"])).rejects.toThrow(/does not match the model built for this run.*3x3x4x4 there, 3x3x4x8 here/);
    target.dispose();
  });
});

describe("runExperiment with training.initFrom", () => {
  it("trains a named source config first, then reuses its run; a run id names it directly", async () => {
    const ctx = await context();
    const configDir = await mkdtemp(join(tmpdir(), "fer-init-configs-"));
    const sourcePath = join(configDir, "pretrain.json");
    await writeFile(sourcePath, JSON.stringify(config({ name: "pretrain", dataset: { root: sevenRoot, size: 24, classes: ["angry", "happy", "sad", "surprise", "neutral"] } })));
    const first = await runExperiment(parseRunConfig(config({ name: "finetune" }, { initFrom: sourcePath })), ctx);
    const runs = (await readdir(join(ctx.resultsRoot, "runs"))).sort();
    expect(runs).toHaveLength(2);
    const sourceId = runs.find((id) => id.includes("-pretrain-"))!;
    expect(first.manifest.initFrom).toEqual({ run: sourceId, name: "pretrain", source: "trained", classifier: "shared_columns" });
    expect(ctx.logs.join("\n")).toContain(`Starting weights: run ${sourceId} (pretrain), 4 layers with weights copied, the classifier's columns of happy, sad, surprise, neutral out of its 5 classes`);
    const saved = await readRunJson<RunManifest>(first.run, "manifest");
    expect(saved?.initFrom?.run).toBe(sourceId);
    let shown = "";
    await main(["show", first.run.id], { out: (t) => (shown += t), err: () => {}, env: { FER_RESULTS: ctx.resultsRoot } });
    expect(shown).toContain(`started from the weights of run ${sourceId} (pretrain; classifier shared columns)`);

    const second = await runExperiment(parseRunConfig(config({ name: "finetune" }, { initFrom: sourcePath })), ctx);
    expect(second.manifest.initFrom?.source).toBe("reused");
    expect(await readdir(join(ctx.resultsRoot, "runs"))).toHaveLength(3);

    const byId = await runExperiment(parseRunConfig(config({ name: "again" }, { initFrom: first.run.id })), ctx);
    expect(byId.manifest.initFrom).toEqual({ run: first.run.id, name: "finetune", source: "run", classifier: "copied" });

    // fer run --init-from sets it on a config that has none; refused for an ensemble config.
    const plainPath = join(configDir, "plain.json");
    await writeFile(plainPath, JSON.stringify(config({ name: "plain" })));
    const env = { FER_RESULTS: ctx.resultsRoot, FER_CACHE: join(ctx.resultsRoot, "cache") };
    let out = "";
    expect(await main(["run", plainPath, "--init-from", byId.run.id, "--no-images"], { out: (t) => (out += t), err: () => {}, env })).toBe(0);
    const plainId = out.match(/Run (\S+-plain-\S+): completed/)![1];
    const plain = await readRunJson<RunManifest>({ id: plainId, dir: join(ctx.resultsRoot, "runs", plainId) }, "manifest");
    expect(plain?.initFrom).toEqual({ run: byId.run.id, name: "again", source: "run", classifier: "copied" });
    const ensemblePath = join(configDir, "ensemble.json");
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "e", members: [{ run: byId.run.id }], combiner: "soft_vote" }));
    let err = "";
    expect(await main(["run", ensemblePath, "--init-from", byId.run.id], { out: () => {}, err: (t) => (err += t), env })).toBe(1);
    expect(err).toContain("Option --init-from does not apply to an ensemble config");
  });

  it("refuses an unknown run, another model, and a config that starts from itself, before any run folder exists", async () => {
    const ctx = await context();
    await expect(runExperiment(parseRunConfig(config({}, { initFrom: "20260101-000000-nothing-000000" })), ctx))
      .rejects.toThrow(/No run "20260101-000000-nothing-000000"/);
    const source = await runExperiment(parseRunConfig(config({ name: "source" })), ctx);
    const wider = parseRunConfig(config({ model: { ...model, filters: [8, 8] } }, { initFrom: source.run.id }));
    const error = await runExperiment(wider, ctx).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/cannot give tiny its starting weights: its model is .*"filters":\[4,8\].*Start from a run of the same model/);

    const configDir = await mkdtemp(join(tmpdir(), "fer-init-configs-"));
    const selfPath = join(configDir, "self.json");
    await writeFile(selfPath, JSON.stringify(config({ name: "self" }, { initFrom: selfPath })));
    await expect(runExperiment(parseRunConfig(config({ name: "self" }, { initFrom: selfPath })), ctx))
      .rejects.toThrow(/a run cannot learn from itself/);
    const aPath = join(configDir, "a.json");
    const bPath = join(configDir, "b.json");
    await writeFile(aPath, JSON.stringify(config({ name: "a" }, { initFrom: bPath })));
    await writeFile(bPath, JSON.stringify(config({ name: "b", seed: 8 }, { initFrom: aPath })));
    await expect(runExperiment(parseRunConfig(config({ name: "a" }, { initFrom: bPath })), ctx))
      .rejects.toThrow(/a run cannot learn from itself/);
    // A source config of another model, or this run's missing dataset, is refused before the source trains.
    const otherPath = join(configDir, "other.json");
    await writeFile(otherPath, JSON.stringify(config({ name: "other", model: { ...model, filters: [8, 8] } })));
    await expect(runExperiment(parseRunConfig(config({ name: "a" }, { initFrom: otherPath })), ctx))
      .rejects.toThrow(/training.initFrom: .*other.json \(other\) cannot give a its starting weights: its model is/);
    const plainPath = join(configDir, "plain.json");
    await writeFile(plainPath, JSON.stringify(config({ name: "plain", seed: 9 })));
    const missing = parseRunConfig(config({ name: "a", dataset: { root: join(configDir, "no-such-data"), size: 24 } }, { initFrom: plainPath }));
    await expect(runExperiment(missing, ctx)).rejects.toThrow(/no-such-data/);
    expect(await readdir(join(ctx.resultsRoot, "runs"))).toEqual([source.run.id]);
  });

  it("refuses initFrom on a transfer config", () => {
    expect(() =>
      parseRunConfig({
        name: "t",
        dataset: { channels: 3, size: 112 },
        model: { family: "transfer", backbone: "face_api_recognition" },
        training: { initFrom: "x" },
      })
    ).toThrow(/a transfer run starts from its backbone/);
  });
});
