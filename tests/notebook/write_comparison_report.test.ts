import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { ConfigError } from "../../src/core/errors.ts";
import { writeComparisonReport } from "../../src/notebook/write_comparison_report.ts";
import { saveDatasetEvaluation } from "../../src/experiment/save_dataset_evaluation.ts";
import { tempDir, writeFakeRun } from "./notebook_fixtures.ts";

describe("writeComparisonReport", () => {
  it("writes the table, the accuracy plot and a section per run, newest first", async () => {
    const root = await tempDir("cmp");
    const predictions = [{ path: "a", trueLabel: 0, pHappy: 0.9 }, { path: "b", trueLabel: 1, pHappy: 0.8 }];
    const older = await writeFakeRun(root, { name: "old", datasetRoot: "/d", predictions, now: new Date("2026-01-01T00:00:00Z") });
    const newer = await writeFakeRun(root, {
      name: "new",
      datasetRoot: "/d",
      predictions,
      synthetic: true,
      now: new Date("2026-01-02T00:00:00Z"),
    });
    const path = join(root, "notebooks", "report.html");
    const rows = await writeComparisonReport(root, { path });
    expect(rows.map((r) => r.id)).toEqual([older.run.id, newer.run.id]);
    const html = await readFile(path, "utf8");
    expect(html.includes("<h2>Accuracy with 95% intervals</h2>")).toBe(true);
    const newSection = html.indexOf(`<h2>new (${newer.run.id.slice(-6)}) (SYNTHETIC data)</h2>`);
    const oldSection = html.indexOf(`<h2>old (${older.run.id.slice(-6)})</h2>`);
    expect(newSection).toBeGreaterThan(0);
    expect(oldSection).toBeGreaterThan(newSection);
    // comparison + (learning curves + confusion) per run
    expect(html.match(/<div class="figure"/g)?.length).toBe(1 + 2 * 2);
    expect(html.includes("test accuracy 0.500")).toBe(true);
  });

  it("adds the runs per dataset once a run was evaluated on another dataset, and not before", async () => {
    const root = await tempDir("cmp");
    const predictions = [{ path: "a", trueLabel: 0, pHappy: 0.9 }, { path: "b", trueLabel: 1, pHappy: 0.8 }];
    const { run, metrics } = await writeFakeRun(root, { name: "one", datasetRoot: "/d/home", predictions });
    const path = join(root, "report.html");
    await writeComparisonReport(root, { path });
    expect((await readFile(path, "utf8")).includes("<h2>Per dataset</h2>")).toBe(false);
    await saveDatasetEvaluation(run, { runId: run.id, root: "/d/other", blurSigma: 0, tta: null, fingerprint: "c".repeat(64), synthetic: false, splits: { test: metrics.test! } });
    await writeComparisonReport(root, { path });
    const html = await readFile(path, "utf8");
    expect(html.includes("<h2>Per dataset</h2>")).toBe(true);
    expect(html.includes(">cccccccccccc</td>")).toBe(true);
  });

  it("gives runs their own section only up to maxRuns", async () => {
    const root = await tempDir("cmp");
    const predictions = [{ path: "a", trueLabel: 0, pHappy: 0.9 }];
    await writeFakeRun(root, { name: "one", datasetRoot: "/d", predictions, now: new Date("2026-01-01T00:00:00Z") });
    await writeFakeRun(root, { name: "two", datasetRoot: "/d", predictions, now: new Date("2026-01-02T00:00:00Z") });
    const path = join(root, "report.html");
    await writeComparisonReport(root, { path, maxRuns: 1 });
    const html = await readFile(path, "utf8");
    expect(html.includes("<h2>two (")).toBe(true);
    expect(html.includes("<h2>one (")).toBe(false);
  });

  it("says how to make a run when there is none", async () => {
    const root = await tempDir("cmp");
    const path = join(root, "report.html");
    expect(await writeComparisonReport(root, { path })).toEqual([]);
    const html = await readFile(path, "utf8");
    expect(html.includes("No runs in")).toBe(true);
    expect(html.includes('<div class="figure"')).toBe(false);
  });

  it("rejects a maxRuns that is not a whole number >= 0", async () => {
    await expect(writeComparisonReport(".", { path: "x.html", maxRuns: -1 })).rejects.toThrow(ConfigError);
  });
});
