import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callCli } from "../in_process_cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";

let dataRoot = "", configPath = "", results = "", dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fer-cli-"));
  dataRoot = join(dir, "synthetic");
  results = join(dir, "results");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 6, test: 6 }, seed: 3 });
  configPath = join(dir, "tiny.json");
  await writeFile(configPath, JSON.stringify({
    name: "tiny",
    seed: 1,
    backend: "wasm",
    dataset: { root: dataRoot, size: 24 },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 2, batchSize: 16 },
  }));
});

function cli(...args: string[]) {
  return callCli(args, { FER_RESULTS: results, FER_CACHE: join(results, "..", "cache") });
}

describe("experiment commands", () => {
  let runId = "";

  it("run trains, saves the run and prints the headline numbers", async () => {
    const { code, out, err } = await cli("run", configPath, "--no-images");
    expect(code).toBe(0);
    expect(err).toContain("Backend wasm");
    expect(out).toMatch(/Run \S+: completed \(SYNTHETIC data\)/);
    expect(out).toMatch(/validation n=24 accuracy \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]/);
    runId = (await readdir(join(results, "runs")))[0];
  });

  it("rerun reports an exact match for every metric", async () => {
    const { code, out } = await cli("rerun", runId, "--no-images");
    expect(out).toMatch(/(\d+) of \1 metrics match exactly/);
    expect(code).toBe(0);
  });

  it("list, show and compare read the saved runs", async () => {
    expect((await cli("list")).out.split("\n").filter((l) => l.includes("small_cnn"))).toHaveLength(2);
    expect((await cli("show", runId)).out).toContain("model small_cnn  seed 1  backend wasm");
    const compare = await cli("compare", "--no-images");
    expect(compare.code).toBe(0);
    expect(compare.out).toContain("val acc [95% CI]");
    expect((await readdir(join(results, "compare"))).sort()).toEqual(["comparison.csv", "comparison.html", "comparison.md"]);
  });

  it("eval runs a saved model on a dataset and prints JSON on request", async () => {
    const { code, out } = await cli("eval", runId, dataRoot, "--split", "test", "--json", "--backend", "wasm");
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.synthetic).toBe(true);
    expect(result.splits.test.count).toBe(24);
  });

  it("says which split is missing in eval", async () => {
    const { code, err } = await cli("eval", runId, dataRoot, "--split", "holdout", "--backend", "wasm");
    expect(code).toBe(1);
    expect(err).toContain('Split "holdout" is not in');
  });

  it("names the bad field of an invalid config override", async () => {
    const { code, err } = await cli("run", configPath, "--backend", "cuda");
    expect(code).toBe(1);
    expect(err).toContain("backend: value not allowed");
  });

  it("says how to list runs for an unknown run id", async () => {
    const { code, err } = await cli("show", "no-such-run");
    expect(code).toBe(1);
    expect(err).toContain("deno task fer list");
  });

  it("eval prints the leak-free part of validation and test when the root has train, also for one split, and none when it has not", async () => {
    const all = await cli("eval", runId, dataRoot, "--backend", "wasm");
    expect(all.code).toBe(0);
    expect(all.out).toMatch(/validation n=\d+ accuracy[^\n]*\n +leak-free n=\d+ accuracy [0-9.]+ \[/);
    const testOnly = JSON.parse((await cli("eval", runId, dataRoot, "--split", "test", "--json", "--backend", "wasm")).out);
    expect(testOnly.splits.test.leakFree).toEqual(JSON.parse((await cli("eval", runId, dataRoot, "--json", "--backend", "wasm")).out).splits.test.leakFree);
    expect(testOnly.splits.test.leakFree.count + testOnly.splits.test.leakFree.excluded).toBe(testOnly.splits.test.count);
    const noTrain = join(dir, "no_train_faces");
    await generateSyntheticDataset(noTrain, { perClass: { train: 0, validation: 0, test: 3 }, seed: 4 });
    const unknown = JSON.parse((await cli("eval", runId, noTrain, "--split", "test", "--json", "--backend", "wasm")).out);
    expect(unknown.splits.test.leakFree).toBeNull();
  });

  it("eval averages over test-time augmentation views with --tta", async () => {
    const json = await cli("eval", runId, dataRoot, "--split", "test", "--tta", "flip", "--json", "--backend", "wasm");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).tta).toEqual({ horizontalFlip: true, shifts: [], crops: null });
    const text = await cli("eval", runId, dataRoot, "--split", "test", "--tta", "flip,shift", "--backend", "wasm");
    expect(text.out).toContain("TTA over 10 views");
    // "none" asks for one view (a run whose config has tta scores itself with it by default).
    const none = await cli("eval", runId, dataRoot, "--split", "test", "--tta", "none", "--json", "--backend", "wasm");
    expect(none.code).toBe(0);
    expect(JSON.parse(none.out).tta).toBeNull();
  });

  it("eval keeps its evaluation in the run folder and compare shows one row per dataset it was evaluated on", async () => {
    const otherRoot = join(dir, "other_faces");
    await generateSyntheticDataset(otherRoot, { perClass: { train: 0, validation: 0, test: 5 }, seed: 9 });
    const evaluated = await cli("eval", runId, otherRoot, "--split", "test", "--backend", "wasm");
    expect(evaluated.code).toBe(0);
    expect(evaluated.out).toContain("evaluations.json");
    const saved = JSON.parse(await readFile(join(results, "runs", runId, "evaluations.json"), "utf8"));
    const other = saved.evaluations.find((e: { dataset: string }) => e.dataset === "other_faces");
    expect(other.splits.test.count).toBe(20);
    const out = join(dir, "cmp-datasets");
    const compare = await cli("compare", runId, "--no-images", "--out", out);
    expect(compare.code).toBe(0);
    const line = compare.out.split("\n").find((l) => l.includes("other_faces"));
    expect(line).toContain(other.fingerprint.slice(0, 12));
    expect(line).toMatch(/test +20 +[0-9.]+ \[[0-9.]+, [0-9.]+\]/);
    expect(compare.out.split("\n").filter((l) => l.includes(runId) && l.includes("trained on"))).toHaveLength(2);
    expect(await readFile(join(out, "comparison.md"), "utf8")).toContain("## Per dataset");
    expect(await readFile(join(out, "datasets.csv"), "utf8")).toContain(`,other_faces (SYNTHETIC),${other.fingerprint.slice(0, 12)},eval,test,20,`);
  });

  it("names the known --tta views for an unknown one", async () => {
    const { code, err } = await cli("eval", runId, dataRoot, "--tta", "zoom");
    expect(code).toBe(1);
    expect(err).toContain('Option --tta is "zoom" ("zoom" is unknown); pass some of flip, shift, corners, crop');
  });

  describe("ensembles", () => {
    let ensemblePath = "", ensembleId = "";

    beforeAll(async () => {
      const second = join(dir, "tiny_seed2.json");
      await writeFile(second, JSON.stringify({ ...JSON.parse(await readFile(configPath, "utf8")), seed: 2 }));
      ensemblePath = join(dir, "ensemble.json");
      await writeFile(ensemblePath, JSON.stringify({
        kind: "ensemble",
        name: "tiny_vote",
        backend: "wasm",
        combiner: "weighted_soft_vote",
        fitting: { folds: 3 },
        members: [{ config: configPath }, { config: second }],
      }));
    });

    it("run makes an ensemble from an ensemble config, reusing the identical run and training the new member", async () => {
      // rerun made a second run of the same config: the newest is reused.
      const reused = (await readdir(join(results, "runs"))).filter((id) => id.includes("-tiny-")).sort().at(-1)!;
      const { code, out, err } = await cli("run", ensemblePath, "--no-images");
      expect(code).toBe(0);
      expect(err).toContain(`Member 0 (tiny): reusing run ${reused}, which has the same resolved config and seed`);
      expect(err).toContain("Member 1 (tiny): no run with this config and seed yet, training it");
      expect(out).toMatch(/Run \S+-tiny_vote-\S+: completed \(SYNTHETIC data\)/);
      expect(out).toMatch(/weighted_soft_vote, validation out of fold \(cross-validated\); members on the same images:/);
      expect(out).toMatch(new RegExp(`tiny \\(${reused}\\) weight \\d\\.\\d{3}: validation \\d\\.\\d{3} \\[`));
      ensembleId = (await readdir(join(results, "runs"))).find((id) => id.includes("tiny_vote"))!;
    });

    it("compare shows the ensemble's member diversity and writes its heatmap", async () => {
      const { code, out } = await cli("compare", "--no-images");
      expect(code).toBe(0);
      expect(out).toContain(`Member diversity of ensemble tiny_vote (${ensembleId}), on 24 validation images:`);
      expect(out).toMatch(/member a\s+member b\s+acc a\s+acc b\s+disagreement\s+error correlation/);
      expect(await readdir(join(results, "compare"))).toContain(`diversity_${ensembleId}.html`);
      expect(await readFile(join(results, "compare", "comparison.md"), "utf8")).toContain("## Member diversity of ensemble tiny_vote");
    });

    it("list shows the ensemble with its combiner", async () => {
      expect((await cli("list")).out).toMatch(new RegExp(`${ensembleId}\\s+completed\\s+ensemble:weighted_soft_vote`));
    });

    it("refuses --epochs for an ensemble config", async () => {
      const { code, err } = await cli("run", ensemblePath, "--epochs", "3");
      expect(code).toBe(1);
      expect(err).toContain("Option --epochs does not apply to an ensemble config");
    });

    it("eval evaluates an ensemble run through its members, and refuses single-model options for it", async () => {
      const { code, out } = await cli("eval", ensembleId, dataRoot, "--split", "test", "--backend", "wasm");
      expect(code).toBe(0);
      expect(out).toContain(`Ensemble run ${ensembleId} on `);
      expect(out).toMatch(/test +n=\d+ accuracy /);
      const refused = await cli("eval", ensembleId, dataRoot, "--classes", "happy,sad", "--backend", "wasm");
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`Run ${ensembleId} is an ensemble: --classes is for single-model runs`);
    });

    it("eval of an ensemble whose member run is gone names the member and says to restore it", async () => {
      const saved = JSON.parse(await readFile(join(results, "runs", ensembleId, "model", "ensemble.json"), "utf8"));
      const member = saved.members[1].runId as string;
      const hidden = join(dir, "hidden-member");
      await rename(join(results, "runs", member), hidden);
      try {
        const { code, err } = await cli("eval", ensembleId, dataRoot, "--split", "test", "--backend", "wasm");
        expect(code).toBe(1);
        expect(err).toContain(`Member run ${member} of ensemble ${ensembleId} cannot be opened`);
        expect(err).toContain("restore it or rerun the ensemble's config");
      } finally {
        await rename(hidden, join(results, "runs", member));
      }
      expect(JSON.parse(await readFile(join(results, "runs", ensembleId, "evaluations.json"), "utf8")).evaluations).toHaveLength(1);
    });
  });
});

describe("run --precision", () => {
  it("names the allowed values for an unknown precision, before any run folder exists", async () => {
    const before = (await readdir(join(results, "runs"))).length;
    const { code, err } = await cli("run", configPath, "--precision", "fp16");
    expect(code).toBe(1);
    expect(err).toContain('precision: value not allowed; allowed: "float32", "bf16"');
    expect((await readdir(join(results, "runs"))).length).toBe(before);
  });

  it("records bf16 asked and float32 used on a backend without bf16 math, and says so", async () => {
    const { code, out, err } = await cli("run", configPath, "--precision", "bf16", "--no-images");
    expect(code).toBe(0);
    expect(err).toMatch(/Backend wasm .*; precision float32: bf16 asked, but the wasm backend has no bf16 math/);
    // The id from the output: ids carry a one-second stamp, and an earlier run may share this second.
    const id = out.match(/Run (\S+-tiny-\S+): completed/)![1];
    const manifest = JSON.parse(await readFile(join(results, "runs", id, "manifest.json"), "utf8"));
    expect(manifest.backend.precision).toMatchObject({ requested: "bf16", used: "float32" });
    const config = JSON.parse(await readFile(join(results, "runs", id, "config.json"), "utf8"));
    expect(config.precision).toBe("bf16");
  });

  it("refuses --precision for an ensemble config", async () => {
    const path = join(dir, "ensemble_precision.json");
    await writeFile(path, JSON.stringify({ kind: "ensemble", name: "e", members: [{ config: configPath }, { config: configPath }] }));
    const { code, err } = await cli("run", path, "--precision", "bf16");
    expect(code).toBe(1);
    expect(err).toContain("Option --precision does not apply to an ensemble config");
  });
});
