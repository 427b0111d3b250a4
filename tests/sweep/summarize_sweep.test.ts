import { describe, expect, it } from "vitest";
import { summarizeSweep, summaryCsv, summaryLines } from "../../src/sweep/summarize_sweep.ts";
import type { TrialRecord } from "../../src/sweep/sweep_folder.ts";
import { trialsCsv } from "../../src/sweep/sweep_folder.ts";

function record(setting: string, seed: number, val: number | null, params: Record<string, unknown> = { lr: setting === "t001" ? 0.001 : 0.01 }): TrialRecord {
  return {
    key: `${setting}-seed${seed}`, setting, seed, params, status: val === null ? "failed" : "completed", attempts: 1, failures: val === null ? 1 : 0,
    engine: "local", runId: val === null ? null : `run-${setting}-${seed}`, jobId: null, node: "local", log: `logs/${setting}-seed${seed}.attempt1.log`,
    message: val === null ? "exit code 1" : null, startedAt: null, finishedAt: null,
    metrics: val === null ? null : { valAccuracy: val, valMacroF1: val - 0.1, valEce: val / 10, testAccuracy: val - 0.05, testMacroF1: null },
  };
}

describe("summarizeSweep", () => {
  const records = [
    record("t001", 1, 0.60), record("t001", 2, 0.70), record("t001", 3, 0.65),
    record("t002", 1, 0.62), record("t002", 2, 0.72), record("t002", 3, 0.671),
    record("t003", 1, 0.40), record("t003", 2, 0.41), record("t003", 3, null),
  ];
  const summary = summarizeSweep(records);

  it("gives each setting's mean and SD across seeds and counts what did not complete", () => {
    const [t1, , t3] = summary.settings;
    expect(t1.valAccuracy.mean).toBeCloseTo(0.65, 12);
    expect(t1.valAccuracy.sd).toBeCloseTo(0.05, 12);
    expect(t3.seeds).toEqual([1, 2]);
    expect(t3.incomplete).toBe(1);
  });

  it("picks the best setting on validation and judges the others against it paired by seed", () => {
    expect(summary.best?.setting).toBe("t002");
    // t002 - t001 per seed: 0.02, 0.02, 0.021: a small but consistent gap, beyond noise
    const t1 = summary.settings[0].gapToBest!;
    expect(t1.mean).toBeCloseTo(0.061 / 3, 12);
    expect(t1.verdict).toBe("beyond_noise");
    expect(summary.settings[2].gapToBest).toMatchObject({ count: 2, verdict: "too_few_seeds" });
  });

  it("writes the summary as CSV and text that say which gaps are within noise", () => {
    const csv = summaryCsv(summary).trim().split("\n");
    expect(csv).toHaveLength(4);
    expect(csv[0]).toContain("val_f1_mean,val_f1_sd,val_ece_mean,val_ece_sd,test_acc_mean");
    expect(csv[2]).toContain("t002,lr=0.01,1 2 3,0,0.6703,0.0500");
    expect(csv[2]).toContain(",0.5703,0.0500,0.0670,0.0050,0.6203,");
    expect(summaryLines(summary).join("\n")).toMatch(/t002 {2}lr=0.01 {2}seeds 3 {2}val acc 0.670 ± 0.050 {2}val F1 0.570 ± 0.050 {2}val ECE 0.067 ± 0.005 .*best on validation/);
    expect(summaryLines(summary).join("\n")).toMatch(/t003 .*: too few seeds to judge\)/);
    expect(summaryLines(summary).at(-1)).toBe("Fewer than 3 shared seeds for some settings: no verdict on their gaps; add seeds to tell them apart");
    expect(summaryLines({ settings: [], best: null })).toEqual(["No trial completed yet: nothing to summarise"]);
  });

  it("points an ensemble sweep, whose seeds draw only folds, at the image-by-image comparison instead of more seeds", () => {
    const lines = summaryLines(summarizeSweep(records, "ensemble"));
    expect(lines.at(-1)).toBe(
      "Fewer than 3 shared seeds for some settings: no verdict on their gaps; an ensemble trial's seed draws only its combiner's folds, " +
        "so more seeds would not tell its settings apart: compare them image by image with the best",
    );
    expect(lines.slice(0, -1)).toEqual(summaryLines(summary).slice(0, -1));
  });

  it("writes one trials.csv row per trial with its parameters, run, status and log", () => {
    const lines = trialsCsv(records).trim().split("\n");
    expect(lines[0]).toBe("trial,setting,seed,status,attempts,lr,run_id,engine,job_id,node,val_accuracy,val_macro_f1,val_ece,test_accuracy,test_macro_f1,log,message");
    expect(lines[1]).toBe("t001-seed1,t001,1,completed,1,0.001,run-t001-1,local,,local,0.6000,0.5000,0.0600,0.5500,,logs/t001-seed1.attempt1.log,");
    expect(lines[9]).toBe("t003-seed3,t003,3,failed,1,0.01,,local,,local,,,,,,logs/t003-seed3.attempt1.log,exit code 1");
  });

  it("shows no calibration for trials recorded before it was kept, and the rest as before", () => {
    const old = records.map((r) => (r.metrics ? { ...r, metrics: { ...r.metrics, valEce: undefined } } : r));
    const before = summarizeSweep(old);
    expect(before.settings[1].valEce.count).toBe(0);
    expect(before.best?.setting).toBe("t002");
    expect(summaryLines(before).join("\n")).toMatch(/val F1 0.570 ± 0.050 {2}val ECE - {2}test acc/);
    expect(summaryCsv(before).split("\n")[2]).toContain(",0.5703,0.0500,,,0.6203,");
  });
});
