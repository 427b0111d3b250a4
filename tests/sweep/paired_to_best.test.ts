import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRun, writePredictions } from "../../src/experiment/run_store.ts";
import { pairedToBest, pairedToBestLines } from "../../src/sweep/paired_to_best.ts";
import { summarizeSweep } from "../../src/sweep/summarize_sweep.ts";
import type { TrialRecord } from "../../src/sweep/sweep_folder.ts";

const classes = ["happy", "sad"];
const truth = Array.from({ length: 40 }, (_, i) => i % 2);

/** A run folder whose predictions get the first `right` validation images right (and every test image). */
async function fakeRun(results: string, name: string, right: number): Promise<string> {
  const run = await createRun(results, { name }, { name, now: new Date() });
  const row = (split: string, i: number, correct: boolean) => {
    const predictedLabel = correct ? truth[i] : 1 - truth[i];
    return { path: `${split}/${classes[truth[i]]}/${i}.png`, split, trueLabel: truth[i], predictedLabel, probabilities: predictedLabel ? [0.2, 0.8] : [0.8, 0.2] };
  };
  await writePredictions(run, [...truth.map((_, i) => row("validation", i, i < right)), ...truth.map((_, i) => row("test", i, true))], classes);
  return run.id;
}

function record(setting: string, seed: number, runId: string | null, valAccuracy: number, status: TrialRecord["status"] = "completed"): TrialRecord {
  return {
    key: `${setting}-seed${seed}`,
    setting,
    seed,
    params: { combiner: setting },
    status,
    attempts: 1,
    failures: 0,
    engine: "local",
    jobId: null,
    node: "local",
    runId,
    log: null,
    message: null,
    startedAt: null,
    finishedAt: null,
    metrics: status === "completed" ? { valAccuracy, valMacroF1: valAccuracy, valEce: 0.1, testAccuracy: 1, testMacroF1: 1 } : null,
  };
}

describe("pairedToBest", () => {
  it("compares each setting with the best run of the same seed on validation, image by image; test is left out", async () => {
    const results = join(await mkdtemp(join(tmpdir(), "fer-paired-best-")), "results");
    // Seed 1: the best gets 38 of 40 right, t001 36 (within noise), t003 20 (a real difference). Seed 2: only t001 and the best.
    const best1 = await fakeRun(results, "best1", 38);
    const best2 = await fakeRun(results, "best2", 37);
    const close = await fakeRun(results, "close", 36);
    const far = await fakeRun(results, "far", 20);
    const close2 = await fakeRun(results, "close2", 35);
    const records = [
      record("t001", 1, close, 36 / 40),
      record("t002", 1, best1, 38 / 40),
      record("t003", 1, far, 20 / 40),
      record("t001", 2, close2, 35 / 40),
      record("t002", 2, best2, 37 / 40),
      record("t003", 2, null, 0, "failed"),
    ];
    const summary = summarizeSweep(records);
    expect(summary.best?.setting).toBe("t002");
    const rows = await pairedToBest(results, records, summary);
    expect(rows.map((r) => [r.setting, r.seed, r.bestRunId, r.runId])).toEqual([
      ["t001", 1, best1, close],
      ["t001", 2, best2, close2],
      ["t003", 1, best1, far],
    ]);
    for (const row of rows) expect(row.validation).toMatchObject({ split: "validation", count: 40 });
    expect(rows[0].validation.difference.value).toBeCloseTo(2 / 40, 12);
    expect([rows[0].validation.mcnemar.onlyFirst, rows[0].validation.mcnemar.onlySecond]).toEqual([2, 0]);
    expect(rows[0].validation.withinNoise).toBe(true);
    expect(rows[2].validation.withinNoise).toBe(false);
    const lines = pairedToBestLines(rows, summary);
    expect(lines[0]).toBe("Against the best (t002) image by image on validation, run against run of the same seed:");
    expect(lines[1]).toMatch(/^ {2}t001 {2}combiner="t001" {2}seed 1, n=40: best - this \+0\.050 \[\+0\.\d{3}, \+0\.\d{3}\] \(paired bootstrap 95%\); McNemar 2 only the best right, 0 only this, p = 0\.500: the images cannot tell them apart$/);
    expect(lines[3]).toContain("McNemar 18 only the best right, 0 only this");
    expect(lines[3]).toMatch(/a real difference on these images at the 5% level$/);
  });

  it("says a pair it cannot compare and leaves it out; nothing without a best setting", async () => {
    const results = join(await mkdtemp(join(tmpdir(), "fer-paired-best-")), "results");
    const best = await fakeRun(results, "best", 30);
    const records = [record("t001", 1, best, 0.75), record("t002", 1, "20990101-000000-gone-000000", 0.5)];
    const logs: string[] = [];
    expect(await pairedToBest(results, records, summarizeSweep(records), { log: (line) => logs.push(line) })).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/^t002-seed1 against the best's run \S+: not compared \(.+\)$/)]);
    expect(await pairedToBest(results, [], summarizeSweep([]))).toEqual([]);
    expect(pairedToBestLines([], summarizeSweep([]))).toEqual([]);
  });
});
