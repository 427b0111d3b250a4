import { beforeAll, describe, expect, it } from "vitest";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";
import { ConfigError, RunNotStartedError } from "../../src/core/errors.ts";
import { configHash } from "../../src/core/config_hash.ts";
import { dataFingerprint } from "../../src/ensemble/data_fingerprint.ts";
import { parseEnsembleConfig } from "../../src/ensemble/ensemble_config.ts";
import { readEnsembleModel, readMemberCaches } from "../../src/ensemble/ensemble_files.ts";
import { logLinearPool } from "../../src/ensemble/log_linear_pool.ts";
import type { EnsembleManifest } from "../../src/ensemble/ensemble_manifest.ts";
import type { EnsembleMetrics, RunMetrics } from "../../src/experiment/run_metrics.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { resumeExperiment, runExperiment } from "../../src/experiment/run_experiment.ts";
import { sittingStop } from "../../src/train/sitting_limit.ts";
import { ensembleScores, ensembleScoreTable } from "../../src/ensemble/ensemble_scores.ts";
import { runEnsemble } from "../../src/ensemble/run_ensemble.ts";
import { compareRuns } from "../../src/experiment/compare_runs.ts";
import { evaluateOnDataset } from "../../src/experiment/evaluate_on_dataset.ts";
import { readPredictions } from "../../src/experiment/read_predictions.ts";
import type { RunContext } from "../../src/experiment/run_context.ts";
import { listRunIds, openRun, readHistory, readRunJson } from "../../src/experiment/run_store.ts";
import { loadRunResults } from "../../src/notebook/load_run_results.ts";
import { main } from "../../src/cli.ts";

let dataRoot = "", resultsRoot = "";
const logs: string[] = [];
const classes = ["happy", "sad", "surprise", "neutral"];

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "fer-ensemble-"));
  dataRoot = join(dir, "synthetic");
  resultsRoot = join(dir, "results");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 8, test: 6 }, seed: 11 });
});

function context(): RunContext {
  return { projectRoot: ".", resultsRoot, cacheDir: null, log: (line) => logs.push(line), write: () => {}, interactive: false, imagePlots: false };
}

/** Two tiny members that read the data differently: 24 px scaled, and 20 px standardised with blurred evaluation. */
const members = () => [
  {
    config: {
      name: "m24",
      seed: 7,
      backend: "wasm",
      dataset: { root: dataRoot, size: 24 },
      model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
      training: { epochs: 2, batchSize: 16 },
    },
  },
  {
    config: {
      name: "m20",
      seed: 8,
      backend: "wasm",
      dataset: { root: dataRoot, size: 20, preprocessing: "standardize", evalBlurSigma: 1 },
      model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
      training: { epochs: 2, batchSize: 16 },
    },
  },
];

const ensemble = (extra: Record<string, unknown>) =>
  parseEnsembleConfig({ kind: "ensemble", name: "tiny_ensemble", seed: 3, backend: "wasm", members: members(), ...extra });

describe("runEnsemble", () => {
  let firstId = "";

  it("trains member configs, then leaves a run folder of the run contract listing its members", async () => {
    const { run, manifest, metrics } = await runEnsemble(ensemble({ tta: { horizontalFlip: true } }), context());
    firstId = run.id;
    expect((await readdir(run.dir)).sort()).toEqual(
      ["config.json", "history.csv", "manifest.json", "members", "metrics.json", "model", "plots", "predictions.csv"],
    );
    expect(manifest.status).toBe("completed");
    const saved = (await readRunJson<EnsembleManifest>(run, "manifest"))!;
    expect(saved.kind).toBe("ensemble");
    expect(saved.members.map((m) => m.source)).toEqual(["trained", "trained"]);
    for (const member of saved.members) {
      const config = await readRunJson<unknown>(await openRun(resultsRoot, member.runId), "config");
      expect(member.configHash).toBe(configHash(config));
    }
    // Different input sizes: different fingerprints, one data fingerprint.
    expect(saved.members[0].fingerprint).not.toBe(saved.members[1].fingerprint);
    expect(saved.members[1].dataFingerprint).toBe(saved.members[0].dataFingerprint);
    expect(saved.dataset.fingerprint).toBe(saved.members[0].dataFingerprint);
    expect(metrics.validation.count).toBe(32);
    expect(metrics.test?.count).toBe(24);
    expect(metrics.ensemble.members.map((m) => m.tta?.horizontalFlip)).toEqual([true, true]);
    expect(metrics.ensemble.diversity.disagreement).toHaveLength(2);
    expect((await readPredictions(run)).map((r) => r.split).filter((s) => s === "test")).toHaveLength(24);
    expect(await readHistory(run)).toEqual([]);
    const model = (await readEnsembleModel(run))!;
    expect(model.combiner).toEqual({ kind: "soft_vote" });
    expect(model.members.map((m) => m.runId)).toEqual(saved.members.map((m) => m.runId));
    const caches = await readMemberCaches(run, model.members.map((m) => m.runId));
    expect(caches[1].validation.probabilities).toHaveLength(32);
    expect((await readdir(join(run.dir, "plots"))).sort()).toContain("diversity.html");
  });

  it("is read by the run readers: compare, the notebooks' loader", async () => {
    const rows = await compareRuns(resultsRoot, [firstId]);
    expect(rows[0]).toMatchObject({ kind: "ensemble", model: "ensemble:soft_vote", status: "completed", synthetic: true, epochs: 0 });
    const results = await loadRunResults(resultsRoot, firstId);
    expect(results.history).toEqual([]);
    expect(results.figures.confusion_test).toBeDefined();
  });

  it("is evaluated on a dataset by fer eval through its members and combiner, reproducing its own test figures", async () => {
    let out = "", err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: { FER_RESULTS: resultsRoot, FER_CACHE: join(resultsRoot, "..", "cache") } };
    expect(await main(["eval", firstId, dataRoot, "--split", "test", "--backend", "wasm"], io)).toBe(0);
    expect(out).toContain(`Ensemble run ${firstId} on `);
    expect(out).toContain("TTA over 2 views");
    const run = await openRun(resultsRoot, firstId);
    const metrics = (await readRunJson<EnsembleMetrics>(run, "metrics"))!;
    const saved = JSON.parse(await readFile(join(run.dir, "evaluations.json"), "utf8"));
    const test = saved.evaluations[0].splits.test;
    // Same images, members, TTA and combiner as the run's own test step: the same answers.
    expect(test.count).toBe(metrics.test!.count);
    expect(test.accuracy).toBe(metrics.test!.accuracy);
    expect(test.confusion).toEqual(metrics.test!.confusion);
    expect(test.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(test.count);
    expect(saved.evaluations[0].tta).toEqual({ horizontalFlip: true, shifts: [], crops: null });
    // Member m20 blurs its evaluation inputs (evalBlurSigma 1): the record says so.
    expect(saved.evaluations[0].blurSigma).toBe(1);

    err = "";
    expect(await main(["eval", firstId, dataRoot, "--tta", "flip", "--blur-sigma", "1"], io)).toBe(1);
    expect(err).toContain(`Run ${firstId} is an ensemble: --tta, --blur-sigma are for single-model runs`);
  });

  it("reuses member runs with an identical config and seed, and recomputes their probabilities exactly", async () => {
    const before = (await listRunIds(resultsRoot)).length;
    // A run saved before a schema field with a default existed (here dataset.dropLeaked) is still the same
    // experiment, and so is one whose free-text notes were edited or whose config was renamed since, or
    // one that scores itself with TTA (the weights are the same).
    let withTta = "";
    for (const id of await listRunIds(resultsRoot)) {
      const path = join((await openRun(resultsRoot, id)).dir, "config.json");
      const saved = JSON.parse(await readFile(path, "utf8"));
      if (saved.kind === "ensemble") continue;
      delete saved.dataset.dropLeaked;
      saved.notes = "written before the notes were edited";
      saved.name = `${saved.name}_before_renaming`;
      if (withTta === "") {
        withTta = id;
        saved.tta = { horizontalFlip: true, shifts: [], crops: null };
      }
      await writeFile(path, JSON.stringify(saved));
    }
    logs.length = 0;
    const { manifest, metrics } = await runEnsemble(ensemble({ combiner: "stacking", fitting: { folds: 4 } }), context());
    expect((await listRunIds(resultsRoot)).length).toBe(before + 1);
    expect(manifest.members.map((m) => m.source)).toEqual(["reused", "reused"]);
    expect(logs.filter((line) => line.includes("reusing run"))).toHaveLength(2);
    // Renamed configs: the tables use the config's name now, the manifest keeps the name each run was trained under.
    expect(manifest.members.map((m) => [m.name, m.runName])).toEqual([["m24", "m24_before_renaming"], ["m20", "m20_before_renaming"]]);
    expect(metrics.ensemble.members.map((m) => m.name)).toEqual(["m24", "m20"]);
    // Without TTA each member's probabilities match its own predictions.csv: its size, standardisation and blur were reproduced.
    // Not checked for the run whose config now says it scored itself with TTA: its predictions.csv would hold other views.
    expect(manifest.members.map((m) => m.runId)).toContain(withTta);
    for (const member of manifest.members) {
      if (member.runId === withTta) expect(member.maxDeviation).toBeNull();
      else expect(member.maxDeviation).toBeLessThan(1e-5);
    }
    expect(metrics.ensemble.validationMode).toBe("out_of_fold");
    const model = (await readEnsembleModel(await openRun(resultsRoot, manifest.id)))!;
    expect(model.combiner.kind).toBe("stacking");
    expect(model.folds).toHaveLength(32);
  });

  it("gives identical metrics for the same config and seed", async () => {
    const a = await runEnsemble(ensemble({ combiner: "weighted_soft_vote", fitting: { folds: 4 } }), context());
    const b = await runEnsemble(ensemble({ combiner: "weighted_soft_vote", fitting: { folds: 4 } }), context());
    expect(b.metrics).toEqual(a.metrics);
    const weights = (await readRunJson<EnsembleMetrics>(a.run, "metrics"))!.ensemble.weights!;
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });

  it("keeps its members' scores in the score cache: a later ensemble of them reads them back, the same numbers", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-score-cache-"));
    const scores = join(cacheDir, "predictions");
    const config = ensemble({ name: "cached_scores", tta: { horizontalFlip: true } });
    logs.length = 0;
    const first = await runEnsemble(config, { ...context(), cacheDir });
    expect(logs.filter((line) => /^Member [01] \(m2[04]\): 56 images over 2 view\(s\), validation and test scored in \d+s$/.test(line)))
      .toHaveLength(2);
    expect(await readdir(scores)).toHaveLength(4); // two members, validation and test
    logs.length = 0;
    const again = await runEnsemble(config, { ...context(), cacheDir });
    expect(logs.filter((line) => line.endsWith("56 images over 2 view(s), scores read from the cache"))).toHaveLength(2);
    expect(again.metrics).toEqual(first.metrics);
    const ids = first.manifest.members.map((m) => m.runId);
    expect(await readMemberCaches(again.run, ids)).toEqual(await readMemberCaches(first.run, ids));
    // Other views are other scores: one view each, scored and cached beside the first.
    logs.length = 0;
    await runEnsemble(ensemble({ name: "cached_scores" }), { ...context(), cacheDir });
    expect(logs.filter((line) => line.includes("over 1 view(s), validation and test scored in"))).toHaveLength(2);
    expect(await readdir(scores)).toHaveLength(8);
    // A damaged entry is said and scored again, to the same numbers.
    for (const file of await readdir(scores)) await writeFile(join(scores, file), "damaged");
    logs.length = 0;
    const repaired = await runEnsemble(config, { ...context(), cacheDir });
    expect(logs.filter((line) => /^Member \S+, (validation|test): cached scores unusable \(.+\); scoring again$/.test(line))).toHaveLength(4);
    expect(repaired.metrics).toEqual(first.metrics);
  });

  it("reads a member trained with the cache from it at once: its run kept its own scores of validation and test", async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-score-cache-"));
    // A results folder of its own, so the tests that list every run here do not see these.
    const here = { ...context(), resultsRoot: await mkdtemp(join(tmpdir(), "fer-own-scores-")) };
    // New seeds: the members are trained here, with the cache, over the views the ensemble asks for (their own).
    const trained = members().map((m, i) => ({ config: { ...m.config, name: `${m.config.name}_kept`, seed: 30 + i, tta: { horizontalFlip: true } } }));
    const config = parseEnsembleConfig({ kind: "ensemble", name: "own_scores", seed: 3, backend: "wasm", members: trained, tta: { horizontalFlip: true } });
    logs.length = 0;
    const { manifest, metrics } = await runEnsemble(config, { ...here, cacheDir });
    expect(manifest.members.map((m) => m.source)).toEqual(["trained", "trained"]);
    expect(logs.filter((line) => /^Member [01] \(m2[04]_kept\): 56 images over 2 view\(s\), scores read from the cache$/.test(line))).toHaveLength(2);
    expect(logs.filter((line) => line.includes("validation and test scored in"))).toEqual([]);
    // The rows read are the runs' own predictions (the check the ensemble makes against predictions.csv).
    for (const member of manifest.members) expect(member.maxDeviation).toBeLessThan(1e-4);
    // Scored afresh, without the cache, the ensemble is the same.
    const fresh = await runEnsemble(parseEnsembleConfig({ ...config, name: "own_scores_fresh" }), here);
    expect(fresh.metrics.validation).toEqual(metrics.validation);
    expect(fresh.metrics.test).toEqual(metrics.test);
  });

  it("fits a log-linear pool: its weights in metrics.json, the pool in model/ensemble.json, and fer eval applies it again", async () => {
    const { run, metrics } = await runEnsemble(ensemble({ combiner: "log_linear_pool", fitting: { folds: 4 } }), context());
    const model = (await readEnsembleModel(run))!;
    if (model.combiner.kind !== "log_linear_pool") throw new Error(`combiner ${model.combiner.kind}`);
    expect(model.combiner.bias).toHaveLength(classes.length);
    expect(metrics.ensemble.combiner).toBe("log_linear_pool");
    expect(metrics.ensemble.validationMode).toBe("out_of_fold");
    expect(metrics.ensemble.weights).toEqual(model.combiner.weights);
    // The saved pool applied to the cached members' test rows gives the run's test predictions.
    const cached = await readMemberCaches(run, model.members.map((m) => m.runId));
    const pooled = logLinearPool(model.combiner, cached.map((m) => m.test!.probabilities));
    const saved = new Map((await readPredictions(run)).filter((r) => r.split === "test").map((r) => [r.path, r.probabilities]));
    expect(saved.size).toBe(pooled.length);
    cached[0].test!.paths.forEach((path, i) => classes.forEach((name, c) => expect(saved.get(path)![name]).toBeCloseTo(pooled[i][c], 5)));
    const io = { out: () => {}, err: () => {}, env: { FER_RESULTS: resultsRoot, FER_CACHE: join(resultsRoot, "..", "cache") } };
    expect(await main(["eval", run.id, dataRoot, "--split", "test", "--backend", "wasm"], io)).toBe(0);
    const evaluation = JSON.parse(await readFile(join(run.dir, "evaluations.json"), "utf8")).evaluations[0].splits.test;
    expect(evaluation.confusion).toEqual(metrics.test!.confusion);
  });

  it("lists members (own run and with TTA) before the ensemble, marked when it beats the best member", async () => {
    const rows = await ensembleScores(resultsRoot, [firstId]);
    expect(rows.map((r) => r.kind)).toEqual(["member", "member", "member", "member", "ensemble:soft_vote"]);
    expect(rows[1].label).toMatch(/^m24 \(\w{6}\) \+TTA\(2 views\)$/);
    const metrics = (await readRunJson<EnsembleMetrics>(await openRun(resultsRoot, firstId), "metrics"))!;
    const best = Math.max(...metrics.ensemble.members.map((m) => m.validation.accuracyInterval.value));
    expect(rows[4].beatsBestMember).toBe(metrics.validation.accuracy > best);
    expect(rows[4].validation).toEqual(metrics.validation.accuracyInterval);
    expect(ensembleScoreTable(rows).cells[4][5]).toBe(rows[4].beatsBestMember ? "yes" : "no");
  });

  it("takes members by run id", async () => {
    const ids = (await compareRuns(resultsRoot)).filter((r) => r.kind === "run").map((r) => r.id);
    const { manifest } = await runEnsemble(
      parseEnsembleConfig({ kind: "ensemble", name: "by_id", backend: "wasm", combiner: "majority_vote", members: ids.map((run) => ({ run })) }),
      context(),
    );
    expect(manifest.members.map((m) => m.source)).toEqual(["run", "run"]);
  });

  it("refuses an interrupted member, which was scored on validation only, until it is resumed", async () => {
    const stop = sittingStop({ afterEpoch: 1 });
    const stopped = await runExperiment(parseRunConfig({ ...members()[0].config, name: "m24_stopped", seed: 99 }), {
      ...context(), signal: stop.signal, callbacks: [stop.callback],
    });
    expect(stopped.manifest.status).toBe("interrupted");
    const metrics = await readRunJson<RunMetrics>(stopped.run, "metrics");
    expect(metrics?.validation.count).toBeGreaterThan(0);
    expect(metrics?.test).toBeUndefined(); // not a final model: its test split is not read
    const byId = parseEnsembleConfig({ kind: "ensemble", name: "with_stopped", backend: "wasm", members: [members()[0], { run: stopped.run.id }] });
    await expect(runEnsemble(byId, context())).rejects.toThrow(
      `Member run ${stopped.run.id} is interrupted and was scored on validation only (test is read once, by a finished model): go on with it first (deno task fer resume ${stopped.run.id})`,
    );
    await resumeExperiment(stopped.run.id, context());
    expect((await readRunJson<RunMetrics>(stopped.run, "metrics"))?.test?.count).toBeGreaterThan(0);
    expect((await runEnsemble(byId, context())).manifest.members.map((m) => m.source)).toEqual(["reused", "run"]);
  });

  it("goes on with a member config's run that stopped with its checkpoint instead of training it again", async () => {
    const config = { ...members()[0].config, name: "m24_sittings", seed: 77 };
    const stop = sittingStop({ afterEpoch: 1 });
    const stopped = await runExperiment(parseRunConfig(config), { ...context(), signal: stop.signal, callbacks: [stop.callback] });
    expect(stopped.manifest.status).toBe("interrupted");
    const before = (await listRunIds(resultsRoot)).length;
    logs.length = 0;
    const { manifest } = await runEnsemble(
      parseEnsembleConfig({ kind: "ensemble", name: "with_sittings", backend: "wasm", members: [{ config }, members()[1]] }),
      context(),
    );
    expect(manifest.members[0]).toMatchObject({ runId: stopped.run.id, source: "trained" });
    expect(logs).toContain(`Member 0 (m24_sittings): run ${stopped.run.id} of this config and seed stopped before it completed, with its checkpoint: going on with it`);
    expect((await listRunIds(resultsRoot)).length).toBe(before + 1); // the ensemble's own folder, no new member run
    const member = await readRunJson<{ status: string; resumes?: { fromEpoch: number }[] }>(stopped.run, "manifest");
    expect(member).toMatchObject({ status: "completed", resumes: [{ fromEpoch: 1 }] });
    expect(await readHistory(stopped.run)).toHaveLength(2);
  });

  it("trains its members in sittings: a stop as a member completes starts no next member and makes no ensemble", async () => {
    const first = { config: { ...members()[0].config, name: "m24_sitting_a", seed: 81 } };
    const second = { config: { ...members()[0].config, name: "m24_sitting_b", seed: 82 } };
    const config = parseEnsembleConfig({ kind: "ensemble", name: "in_sittings", backend: "wasm", members: [first, second] });
    const runsNamed = async (name: string) => (await listRunIds(resultsRoot)).filter((id) => id.includes(`-${name}-`));
    // Each sitting ends after a second epoch: as a member (of two epochs) completes.
    const sitting = () => {
      const stop = sittingStop({ afterEpoch: 2 });
      return { ...context(), signal: stop.signal, callbacks: [stop.callback] };
    };
    const one = runEnsemble(config, sitting());
    await expect(one).rejects.toThrow(RunNotStartedError);
    await expect(one).rejects.toThrow("Member 1 (m24_sitting_b) was not started, and the ensemble not made: the members before it are complete");
    const [a] = await runsNamed("m24_sitting_a");
    expect(await readRunJson(await openRun(resultsRoot, a), "manifest")).toMatchObject({ status: "completed" });
    expect(await runsNamed("m24_sitting_b")).toEqual([]); // no folder that stopped before its first epoch

    const two = runEnsemble(config, sitting());
    await expect(two).rejects.toThrow("in_sittings was not made: its members are complete, and the same command makes it");
    expect(await runsNamed("m24_sitting_b")).toHaveLength(1);
    expect(await runsNamed("in_sittings")).toEqual([]);

    const { manifest } = await runEnsemble(config, sitting()); // nothing left to train: the limit is never reached
    expect(manifest.members.map((m) => m.source)).toEqual(["reused", "reused"]);
    expect(await runsNamed("in_sittings")).toHaveLength(1);
  });

  it("stops while predicting its members when interrupted, saving nothing, and makes the ensemble on the next run", async () => {
    const config = ensemble({ name: "stopped_while_predicting", tta: { horizontalFlip: true } });
    const before = await listRunIds(resultsRoot);
    const controller = new AbortController();
    const lines: string[] = [];
    // The backend line comes after the members are resolved and before they are predicted: a Ctrl-C then.
    const log = (line: string) => {
      lines.push(line);
      if (line.startsWith("Backend")) controller.abort();
    };
    const stopped = runEnsemble(config, { ...context(), log, signal: controller.signal });
    await expect(stopped).rejects.toThrow(RunNotStartedError);
    await expect(stopped).rejects.toThrow(
      "stopped_while_predicting was not made: stopped while predicting its members (0 of 2 done); nothing was saved, and the same command makes it",
    );
    expect(controller.signal.aborted).toBe(true);
    expect(lines.some((line) => line.includes("reusing run"))).toBe(true);
    expect(await listRunIds(resultsRoot)).toEqual(before); // no ensemble folder, no member trained again
    const { manifest } = await runEnsemble(config, context());
    expect(manifest).toMatchObject({ status: "completed", name: "stopped_while_predicting" });
  });

  it("refuses members trained on different class lists, before creating a run folder", async () => {
    const before = (await listRunIds(resultsRoot)).length;
    const twoClasses = { config: { ...members()[0].config, name: "m2c", dataset: { root: dataRoot, size: 24, classes: ["happy", "sad"] } } };
    const config = parseEnsembleConfig({ kind: "ensemble", name: "bad", backend: "wasm", members: [members()[0], twoClasses] });
    await expect(runEnsemble(config, context())).rejects.toThrow(ConfigError);
    await expect(runEnsemble(config, context())).rejects.toThrow(/have different classes \(\[happy, sad\] and \[happy, sad, surprise, neutral\]\)/);
    expect((await listRunIds(resultsRoot)).length).toBe(before + 1); // only the new member run
  });

  it("with a dataset, predicts every member on it, restricted to its classes; fer eval of the run reads them alike", async () => {
    // m24 learned four classes, m2c two, from a copy of the data in another folder: an ensemble for sad and
    // happy (in that order) on the original takes both.
    const copyRoot = join(await mkdtemp(join(tmpdir(), "fer-ensemble-copy-")), "copy");
    await cp(dataRoot, copyRoot, { recursive: true });
    const twoClasses = { config: { ...members()[0].config, name: "m2c", dataset: { root: copyRoot, size: 24, classes: ["happy", "sad"] } } };
    const classesWanted = ["sad", "happy"];
    const ensembleJson = { kind: "ensemble", name: "restricted", backend: "wasm", seed: 3, dataset: { root: dataRoot, classes: classesWanted }, members: [members()[0], twoClasses] };
    const { run, manifest, metrics } = await runEnsemble(parseEnsembleConfig(ensembleJson), context());
    expect(manifest.dataset.classes).toEqual(classesWanted);
    expect(manifest.members.map((m) => m.trainedOn)).toEqual([undefined, copyRoot]);
    expect([metrics.validation.count, metrics.test!.count]).toEqual([16, 12]);
    for (const [i, member] of manifest.members.entries()) {
      const alone = await evaluateOnDataset(await openRun(resultsRoot, member.runId), dataRoot, { splits: ["validation"], cacheDir: null, tta: null, classes: classesWanted });
      expect(metrics.ensemble.members[i].validation.accuracyInterval.value).toBe(alone.splits.validation.accuracy);
      expect(member.maxDeviation).toBeNull();
    }
    // The copy's train split holds the original's: the leak-free part is the one the original's train split gives.
    expect(metrics.validation.leakFree!.count).toBe((await evaluateOnDataset(await openRun(resultsRoot, manifest.members[0].runId), dataRoot, {
      splits: ["validation"],
      cacheDir: null,
      tta: null,
      classes: classesWanted,
    })).splits.validation.leakFree!.count);
    let out = "", err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: { FER_RESULTS: resultsRoot, FER_CACHE: join(resultsRoot, "..", "cache") } };
    expect(await main(["eval", run.id, dataRoot, "--split", "test", "--backend", "wasm"], io)).toBe(0);
    const saved = JSON.parse(await readFile(join(run.dir, "evaluations.json"), "utf8"));
    expect(saved.evaluations[0].splits.test.confusion).toEqual(metrics.test!.confusion);
    // fer run of the same config reuses both members and names where the second was trained.
    const path = join(copyRoot, "..", "restricted.json");
    await writeFile(path, JSON.stringify(ensembleJson));
    out = "";
    expect(await main(["run", path], io)).toBe(0);
    expect(out).toMatch(/ {4}m2c \(\S+-m2c-\w+, trained on /);
    expect(out).toContain(`, trained on ${copyRoot}): validation`);
    // Predicted on the ensemble's dataset, the members' scores are cached too: the same run again reads them back.
    const validationLine = (text: string) => text.split("\n").find((line) => line.includes("validation n="));
    const before = out;
    out = err = "";
    expect(await main(["run", path], io)).toBe(0);
    expect(err.match(/^Member [01] \(m2(4|c)\): 28 images over 1 view\(s\), scores read from the cache$/gm)).toHaveLength(2);
    expect(validationLine(out)).toBe(validationLine(before));

    const missing = parseEnsembleConfig({ kind: "ensemble", name: "x", backend: "wasm", dataset: { root: dataRoot, classes: ["happy", "surprise"] }, members: [twoClasses] });
    await expect(runEnsemble(missing, context())).rejects.toThrow(
      /Class "surprise" is not among the outputs of member run \S+ \(happy, sad\); the ensemble's dataset.classes may name only classes every member was trained on/,
    );
  });

  it("says how to list runs for an unknown member run id", async () => {
    const config = parseEnsembleConfig({ kind: "ensemble", name: "x", members: [{ run: "20260101-000000-none-000000" }] });
    await expect(runEnsemble(config, context())).rejects.toThrow('No run "20260101-000000-none-000000"');
  });

  it("predicts its members in the precision they were trained in, and in float32 when they differ", async () => {
    const bf16 = members().map((m) => ({ config: { ...m.config, precision: "bf16" } }));
    const { manifest } = await runEnsemble(ensemble({ name: "bf16_members", members: bf16 }), context());
    // wasm has no bf16 math: what was asked is recorded beside what ran.
    expect(manifest.backend.precision).toMatchObject({ requested: "bf16", used: "float32" });
    logs.length = 0;
    const mixed = await runEnsemble(ensemble({ name: "mixed_members", members: [bf16[0], members()[1]] }), context());
    expect(mixed.manifest.members.map((m) => m.source)).toEqual(["reused", "reused"]);
    expect(mixed.manifest.backend.precision).toMatchObject({ requested: "float32" });
    expect(logs).toContain("Members were trained in different precisions (bf16, float32): predicting all of them in float32");
  });
});

describe("dataFingerprint", () => {
  it("equals the fingerprint loadDataset gives with the default decode", async () => {
    const dataset = await loadDataset(dataRoot, { classes, cacheDir: null });
    expect(await dataFingerprint(dataRoot, classes)).toBe(dataset.fingerprint);
  });
});
