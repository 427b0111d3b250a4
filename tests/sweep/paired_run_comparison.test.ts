import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRun, writePredictions } from "../../src/experiment/run_store.ts";
import { comparePairedRuns, pairedComparisonLines } from "../../src/sweep/paired_run_comparison.ts";

const classes = ["happy", "sad"];
let results = "";

/** A run folder whose predictions.csv holds one row per (path, true, predicted). */
async function fakeRun(name: string, rows: [string, number, number][], split = "test"): Promise<string> {
  const run = await createRun(results, { name }, { name, now: new Date() });
  await writePredictions(
    run,
    rows.map(([path, trueLabel, predictedLabel]) => ({ path, split, trueLabel, predictedLabel, probabilities: predictedLabel ? [0.2, 0.8] : [0.8, 0.2] })),
    classes,
  );
  return run.id;
}

// 12 images: A right on images 0-9, B on 0-5 and 11; discordant: 4 only A right (6-9), 1 only B right (11).
const truth = Array.from({ length: 12 }, (_, i) => i % 2);
const aRight = truth.map((_, i) => i < 10 || i === 12);
const bRight = truth.map((_, i) => i < 6 || i === 11);
const rowsFor = (right: boolean[]): [string, number, number][] => truth.map((t, i) => [`test/${classes[t]}/${i}.png`, t, right[i] ? t : 1 - t]);

beforeAll(async () => {
  results = join(await mkdtemp(join(tmpdir(), "fer-paired-")), "results");
});

describe("comparePairedRuns", () => {
  it("matches images by path and runs McNemar and the paired bootstrap per split", async () => {
    const a = await fakeRun("a", rowsFor(aRight));
    const b = await fakeRun("b", rowsFor(bRight).reverse()); // order does not matter
    const paired = await comparePairedRuns(results, a, b);
    expect(paired.splits).toHaveLength(1);
    const [test] = paired.splits;
    expect(test).toMatchObject({ split: "test", count: 12, unmatched: 0 });
    expect(test.firstAccuracy).toBeCloseTo(10 / 12, 12);
    expect(test.secondAccuracy).toBeCloseTo(7 / 12, 12);
    expect([test.mcnemar.onlyFirst, test.mcnemar.onlySecond]).toEqual([4, 1]);
    // exact: 2 * P(X <= 1 | n = 5) = 2 * 6 / 32
    expect(test.mcnemar.pValue).toBeCloseTo(12 / 32, 12);
    expect(test.withinNoise).toBe(true);
    expect(test.difference.value).toBeCloseTo(3 / 12, 12);
    const lines = pairedComparisonLines(paired);
    expect(lines[1]).toContain("test n=12: accuracy A 0.833, B 0.583, A - B +0.250");
    expect(lines[1]).toContain("4 only A right, 1 only B right, p = 0.375 (exact binomial): within noise");
  });

  it("leaves out images only one run evaluated and says how many", async () => {
    const a = await fakeRun("a2", rowsFor(aRight));
    const b = await fakeRun("b2", rowsFor(bRight).slice(0, 10));
    const [test] = (await comparePairedRuns(results, a, b)).splits;
    expect(test.count).toBe(10);
    expect(test.unmatched).toBe(2);
  });

  it("compares only the splits asked for", async () => {
    const a = await fakeRun("a5", rowsFor(aRight));
    const b = await fakeRun("b5", rowsFor(bRight));
    expect((await comparePairedRuns(results, a, b, { splits: ["test"] })).splits.map((s) => s.split)).toEqual(["test"]);
    // Asked for a split neither evaluated: nothing shared, said as such.
    await expect(comparePairedRuns(results, a, b, { splits: ["validation"] })).rejects.toThrow(/share no evaluated image/);
  });

  it("refuses runs that share no image", async () => {
    const a = await fakeRun("a3", rowsFor(aRight));
    const b = await fakeRun("b3", rowsFor(bRight), "validation");
    await expect(comparePairedRuns(results, a, b)).rejects.toThrow(/share no evaluated image; paired tests need runs evaluated on the same images/);
  });

  it("refuses an image labelled differently in the two runs", async () => {
    const a = await fakeRun("a4", rowsFor(aRight));
    const flipped = rowsFor(bRight).map(([path, t, p], i): [string, number, number] => (i === 0 ? [path, 1 - t, p] : [path, t, p]));
    const b = await fakeRun("b4", flipped);
    await expect(comparePairedRuns(results, a, b)).rejects.toThrow(/Image test\/happy\/0\.png \(test\) is "happy" in run .* but "sad" in run/);
  });
});
