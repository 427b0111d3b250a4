import { describe, expect, it } from "vitest";
import type { ComparisonRow } from "../../src/experiment/compare_runs.ts";
import { runsComparisonFigure } from "../../src/experiment/runs_comparison_figure.ts";

const row = (id: string, val: number | null, test: number | null): ComparisonRow => ({
  id,
  name: "cnn",
  kind: "run",
  model: "small_cnn",
  seed: 42,
  backend: "wasm",
  status: "completed",
  synthetic: false,
  epochs: 1,
  trainSeconds: 1,
  valAccuracy: val === null ? null : { value: val, low: val - 0.1, high: val + 0.1, level: 0.95, method: "wilson" },
  valMacroF1: null,
  valEce: null,
  valLeakFreeAccuracy: null,
  testAccuracy: test === null ? null : { value: test, low: test - 0.2, high: test + 0.1, level: 0.95, method: "wilson" },
  testMacroF1: null,
  testLeakFreeAccuracy: null,
  testEce: null,
});

describe("runsComparisonFigure", () => {
  it("shows validation and test bars per run with their intervals, skipping runs without metrics", () => {
    const figure = runsComparisonFigure([row("run-aaaaaa", 0.5, 0.4), row("run-bbbbbb", null, null), row("run-cccccc", 0.7, null)]);
    const trace = figure.data[0];
    expect(trace.y).toEqual(["cnn val (aaaaaa)", "cnn test (aaaaaa)", "cnn val (cccccc)"]);
    expect(trace.x).toEqual([0.5, 0.4, 0.7]);
    const whiskers = trace.error_x as { array: number[]; arrayminus: number[] };
    expect(whiskers.arrayminus.map((v) => +v.toFixed(6))).toEqual([0.1, 0.2, 0.1]);
  });
});

