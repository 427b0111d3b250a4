import { describe, expect, it } from "vitest";
import { metricByParameterFigure, parallelCoordinatesFigure } from "../../src/viz/sweep_figures.ts";
import { summarizeSweep } from "../../src/sweep/summarize_sweep.ts";
import type { TrialRecord } from "../../src/sweep/sweep_folder.ts";

function record(setting: string, seed: number, params: Record<string, unknown>, val: number | null): TrialRecord {
  return {
    key: `${setting}-seed${seed}`, setting, seed, params, status: val === null ? "failed" : "completed", attempts: 1, failures: 0,
    engine: "local", runId: null, jobId: null, node: null, log: null, message: null, startedAt: null, finishedAt: null,
    metrics: val === null ? null : { valAccuracy: val, valMacroF1: val, testAccuracy: null, testMacroF1: null },
  };
}

const records = [
  record("t001", 1, { lr: 0.0001, opt: "adam" }, 0.5),
  record("t002", 1, { lr: 0.01, opt: "sgd" }, 0.7),
  record("t001", 2, { lr: 0.0001, opt: "adam" }, 0.6),
  record("t002", 2, { lr: 0.01, opt: "sgd" }, null),
];

describe("sweep figures", () => {
  it("draws one parallel-coordinates line per completed trial, categories as labelled indices", () => {
    const [trace] = parallelCoordinatesFigure(records).data as { type: string; dimensions: { label: string; values: number[]; ticktext?: string[] }[] }[];
    expect(trace.type).toBe("parcoords");
    expect(trace.dimensions.map((d) => d.label)).toEqual(["lr", "opt", "seed", "val accuracy"]);
    expect(trace.dimensions[1]).toMatchObject({ values: [0, 1, 0], ticktext: ['"adam"', '"sgd"'] });
    expect(trace.dimensions[3].values).toEqual([0.5, 0.7, 0.6]);
  });

  it("plots each trial and each setting's mean ± SD against a parameter, on a log axis when it spans 20x", () => {
    const figure = metricByParameterFigure(records, summarizeSweep(records), "lr");
    const [trials, means] = figure.data as { x: unknown[]; y: number[]; error_y?: { array: number[] } }[];
    expect(trials.y).toEqual([0.5, 0.7, 0.6]);
    expect(means.x).toEqual([0.0001, 0.01]);
    expect(means.y[0]).toBeCloseTo(0.55, 12);
    expect(means.error_y!.array[0]).toBeCloseTo(Math.SQRT1_2 * 0.1, 12);
    expect((figure.layout.xaxis as { type?: string }).type).toBe("log");
    expect((metricByParameterFigure(records, summarizeSweep(records), "opt").layout.xaxis as { type?: string }).type).toBe("category");
  });
});
