import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memberDiversity } from "../../src/ensemble/member_diversity.ts";
import { compareRuns, ensembleDiversities } from "../../src/experiment/compare_runs.ts";
import { comparisonTable } from "../../src/experiment/comparison_table.ts";
import { appendHistory, createRun, writeRunJson } from "../../src/experiment/run_store.ts";
import { hostname } from "node:os";
import { main } from "../../src/cli.ts";

describe("compareRuns and leakage", () => {
  it("reads the leak-free accuracy beside the whole split's, and validation's calibration error, and puts them in the table", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-compare-"));
    const run = await createRun(root, { name: "cnn", model: { family: "small_cnn" } }, { name: "cnn", now: new Date("2026-01-01T00:00:00Z") });
    const interval = (value: number) => ({ value, low: value - 0.05, high: value + 0.05, level: 0.95, method: "wilson" });
    await writeRunJson(run, "metrics", {
      validation: { accuracyInterval: interval(0.7), macroF1: 0.69, expectedCalibrationError: 0.0421, leakFree: { count: 90, excluded: 10, accuracy: 0.65, accuracyInterval: interval(0.65), macroF1: 0.64 } },
    });
    const [found] = await compareRuns(root, [run.id]);
    expect(found.valLeakFreeAccuracy?.value).toBe(0.65);
    expect(found.testLeakFreeAccuracy).toBeNull();
    const table = comparisonTable([found]);
    expect(table.cells[0][table.headers.indexOf("val leak-free acc")]).toBe("0.650 [0.600, 0.700]");
    expect(found.valEce).toBe(0.0421);
    expect(table.cells[0][table.headers.indexOf("val ECE")]).toBe("0.042");
    expect(table.cells[0][table.headers.indexOf("test ECE")]).toBe("");
  });
});

describe("compareRuns with ensembles", () => {
  it("marks ensemble runs, names their combiner and reads their member diversity", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-compare-"));
    const now = new Date("2026-01-01T00:00:00Z");
    const single = await createRun(root, { name: "cnn", model: { family: "small_cnn" } }, { name: "cnn", now });
    const ensemble = await createRun(root, { kind: "ensemble", name: "vote", combiner: "stacking" }, { name: "vote", now });
    const diversity = memberDiversity([[[1, 0], [0, 1]], [[1, 0], [1, 0]]], [0, 1], { names: ["a", "b"] });
    await writeRunJson(ensemble, "metrics", { ensemble: { diversity } });
    const unfinished = await createRun(root, { kind: "ensemble", name: "later", combiner: "soft_vote" }, { name: "later", now });
    const rows = await compareRuns(root, [single.id, ensemble.id, unfinished.id]);
    expect(rows.map((r) => [r.kind, r.model])).toEqual([["run", "small_cnn"], ["ensemble", "ensemble:stacking"], ["ensemble", "ensemble:soft_vote"]]);
    const found = await ensembleDiversities(root, rows);
    expect(found).toEqual([{ id: ensemble.id, name: "vote", diversity }]);
    expect(found[0].diversity.disagreement[0][1]).toBe(0.5);
  });

  it("skips the diversity of a one-member ensemble, which has no pair", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-compare-"));
    const now = new Date("2026-01-01T00:00:00Z");
    const one = await createRun(root, { kind: "ensemble", name: "tta", combiner: "soft_vote" }, { name: "tta", now });
    await writeRunJson(one, "metrics", { ensemble: { diversity: memberDiversity([[[1, 0], [0, 1]]], [0, 1], { names: ["a"] }) } });
    const two = await createRun(root, { kind: "ensemble", name: "vote", combiner: "soft_vote" }, { name: "vote", now });
    await writeRunJson(two, "metrics", { ensemble: { diversity: memberDiversity([[[1, 0], [0, 1]], [[1, 0], [1, 0]]], [0, 1], { names: ["a", "b"] }) } });
    const found = await ensembleDiversities(root, await compareRuns(root, [one.id, two.id]));
    expect(found.map((entry) => entry.name)).toEqual(["vote"]);
  });
});

describe("compareRuns with transfer runs", () => {
  it("names the backbone and mode of each transfer run", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-compare-"));
    const now = new Date("2026-01-01T00:00:00Z");
    const frozen = await createRun(root, { name: "t", model: { family: "transfer", backbone: "human_emotion", mode: "frozen" } }, { name: "t", now });
    const tuned = await createRun(root, { name: "t", model: { family: "transfer", backbone: "face_api_expression", mode: "fine_tune" } }, { name: "t", now });
    const rows = await compareRuns(root, [frozen.id, tuned.id]);
    expect(rows.map((r) => r.model)).toEqual(["transfer:human_emotion/frozen", "transfer:face_api_expression/fine_tune"]);
  });
});

describe("compareRuns with unfinished runs", () => {
  it("reads how far a run got (epochs done of planned, their mean seconds); none for completed runs and ensembles", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-compare-"));
    const now = new Date("2026-01-01T00:00:00Z");
    const config = { name: "cnn", model: { family: "small_cnn" }, training: { epochs: 50 } };
    const running = await createRun(root, config, { name: "cnn", now });
    await writeRunJson(running, "manifest", { name: "cnn", seed: 1, status: "running", process: { pid: process.pid, host: hostname() } });
    for (const [epoch, seconds] of [[1, 200], [2, 190]]) {
      await appendHistory(running, { epoch, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.001, seconds });
    }
    const done = await createRun(root, config, { name: "cnn_with_a_longer_name", now });
    await writeRunJson(done, "manifest", { name: "cnn", seed: 1, status: "completed" });
    await appendHistory(done, { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, lr: 0.001, seconds: 5 });
    const rows = await compareRuns(root, [running.id, done.id]);
    expect(rows.map((r) => r.status)).toEqual(["running", "completed"]);
    expect(rows[0].progress).toEqual({ done: 2, planned: 50, meanEpochSeconds: 195 });
    expect(rows[1].progress).toBeNull();
    // fer list prints the running run by its progress: 48 epochs at 195 s to go.
    let out = "";
    await main(["list"], { out: (t) => (out += t), err: () => {}, env: { FER_RESULTS: root } });
    expect(out).toMatch(new RegExp(`${running.id}\\s+running .* 2/50 epochs done, about 2h36m to go\n`));
    // Columns line up whatever the ids' lengths: the status starts at the same place on each line.
    const lines = out.trim().split("\n");
    expect(lines.map((line) => line.search(/ (running|completed) /))).toEqual([done.id.length + 1, done.id.length + 1]);
  });
});
