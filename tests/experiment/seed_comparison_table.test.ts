import { describe, expect, it } from "vitest";
import type { ComparisonRow } from "../../src/experiment/compare_runs.ts";
import { accuracySeedTable } from "../../src/experiment/seed_comparison_table.ts";

const interval = (value: number) => ({ value, low: value - 0.02, high: value + 0.02, level: 0.95, method: "wilson" as const });

function row(name: string, seed: number, val: number, extra: Partial<ComparisonRow> = {}): ComparisonRow {
  return {
    id: `20261204-000000-${name}-${seed}`,
    name,
    kind: "run",
    model: "small_cnn",
    seed,
    backend: "cpu",
    status: "completed",
    synthetic: false,
    epochs: 10,
    trainSeconds: 1,
    valAccuracy: interval(val),
    valMacroF1: null,
    valEce: 0.05,
    valLeakFreeAccuracy: interval(val - 0.02),
    testAccuracy: interval(0.7),
    testMacroF1: null,
    testLeakFreeAccuracy: null,
    testEce: null,
    ...extra,
  };
}

describe("accuracySeedTable", () => {
  it("gives each config's mean over seeds and its difference from the first paired by seed, with t intervals from 3 seeds", () => {
    const table = accuracySeedTable([
      row("plain", 1, 0.70),
      row("plain", 2, 0.72),
      row("changed", 1, 0.72),
      row("plain", 3, 0.74),
      row("changed", 2, 0.75),
      row("changed", 3, 0.74),
      row("changed", 4, 0.91),
    ])!;
    expect(table.seeds).toEqual([1, 2, 3]);
    expect(table.headers[5]).toBe("val ECE");
    expect(table.headers[6]).toBe("val acc - plain (paired by seed)");
    // plain: mean 0.72, sd 0.02, half-width t(2) 4.303 * 0.02 / sqrt(3) = 0.0497.
    expect(table.cells[0]).toEqual(["plain", "1, 2, 3", "0.720 [0.670, 0.770]", "0.700 [0.650, 0.750]", "0.700 [0.700, 0.700]", "0.050 [0.050, 0.050]", "", ""]);
    // changed - plain on seeds 1-3: 0.02, 0.03, 0.00; mean 0.0167, sd 0.0153, half-width 4.303 * 0.0153 / sqrt(3) = 0.0379.
    // Seed 4 has no plain twin: it counts in the mean (0.78 over four seeds), not in the difference.
    expect(table.cells[1].slice(0, 2)).toEqual(["changed", "1, 2, 3, 4"]);
    expect(table.cells[1][2]).toMatch(/^0\.780 \[/);
    expect(table.cells[1][6]).toBe("+0.017 [-0.021, +0.055]");
    expect(table.cells[1][7]).toBe("+0.017 [-0.021, +0.055]");
  });

  it("gives the mean and the count below 3 shared seeds, and no table without a config sharing 2 seeds with the first", () => {
    const two = accuracySeedTable([row("plain", 1, 0.7), row("plain", 2, 0.72), row("changed", 1, 0.73), row("changed", 2, 0.74)])!;
    expect(two.cells[1][6]).toBe("+0.025 (2 seeds)");
    expect(accuracySeedTable([row("plain", 1, 0.7), row("plain", 2, 0.72), row("changed", 1, 0.73)])).toBeNull();
    expect(accuracySeedTable([row("plain", 1, 0.7), row("plain", 2, 0.72)])).toBeNull();
  });

  it("leaves out ensembles, unfinished runs and runs without a validation score, and counts the newest run of a config and seed", () => {
    const table = accuracySeedTable([
      row("plain", 1, 0.70),
      row("plain", 2, 0.72),
      row("changed", 1, 0.50),
      row("changed", 1, 0.73),
      row("changed", 2, 0.74),
      row("changed", 3, 0.99, { status: "interrupted" }),
      row("vote", 1, 0.99, { kind: "ensemble" }),
      row("vote", 2, 0.99, { kind: "ensemble" }),
      row("broken", 1, 0.99, { valAccuracy: null }),
    ])!;
    expect(table.cells.map((cells) => cells[0])).toEqual(["plain", "changed"]);
    expect(table.cells[1][1]).toBe("1, 2");
    expect(table.cells[1][6]).toBe("+0.025 (2 seeds)");
  });

  it("gives a sweep's trials of one setting one row, their names less -seed<N>", () => {
    const table = accuracySeedTable([
      row("distill", 42, 0.726),
      row("distill", 2, 0.730),
      row("distill", 3, 0.724),
      row("sweep-t001-seed42", 42, 0.726),
      row("sweep-t002-seed42", 42, 0.725, { valEce: 0.20 }),
      row("sweep-t001-seed2", 2, 0.730),
      row("sweep-t002-seed2", 2, 0.736, { valEce: 0.21 }),
      row("sweep-t001-seed3", 3, 0.727, { valEce: null }),
      row("sweep-t002-seed3", 3, 0.730, { valEce: 0.22 }),
    ])!;
    expect(table.cells.map((cells) => cells.slice(0, 2))).toEqual([["distill", "2, 3, 42"], ["sweep-t001", "2, 3, 42"], ["sweep-t002", "2, 3, 42"]]);
    // t002 - distill by seed: -0.001, +0.006, +0.006; mean 0.00367, sd 0.00404, half-width 4.303 * 0.00404 / sqrt(3) = 0.0100.
    expect(table.cells[2][6]).toBe("+0.004 [-0.006, +0.014]");
    // Calibration, mean over seeds: t002's 0.20, 0.21, 0.22 (half-width 4.303 * 0.01 / sqrt(3) = 0.0248); t001's run
    // without a score (evaluated before ECE was kept) is left out of its mean.
    expect(table.cells[2][5]).toBe("0.210 [0.185, 0.235]");
    expect(table.cells[1][5]).toBe("0.050 [0.050, 0.050]");
  });
});

