import { beforeAll, describe, expect, it } from "vitest";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readPredictions } from "../../src/experiment/read_predictions.ts";
import { readRunJson, type RunHandle } from "../../src/experiment/run_store.ts";
import type { FairnessReport } from "../../src/fairness/fairness_report.ts";
import { runFairness } from "../../src/fairness/run_fairness.ts";
import type { RunMetrics } from "../../src/experiment/run_metrics.ts";
import { main } from "../../src/cli.ts";
import { makeTinyRun, type TinyRun } from "../robustness/tiny_run.ts";

let tiny: TinyRun;
let groupsPath = "";
let paths: string[] = [];

beforeAll(async () => {
  tiny = await makeTinyRun("fair");
  paths = (await readPredictions(tiny.run)).filter((r) => r.split === "validation").map((r) => r.path);
  // Subject by position (a, b alternate), a "dataset" column, one row naming no image, two images left out.
  const rows = paths.slice(0, -2).map((p, i) => `${p},${i % 2 ? "a" : "b"},${i < 4 ? "lab" : "web"}`);
  groupsPath = join(tiny.run.dir, "..", "groups.csv");
  await writeFile(groupsPath, ["path,subject,dataset", ...rows, "missing.png,c,web"].join("\n") + "\n");
}, 120_000);

describe("runFairness", () => {
  it("reports every attribute and the intersection, counting matched, unlisted and unmatched images", async () => {
    const report = await runFairness(tiny.run, { groups: groupsPath, cacheDir: null, minGroupSize: 5 });
    expect(report.matched).toBe(paths.length - 2);
    expect(report.unlisted).toBe(2);
    expect(report.unmatchedRows).toEqual({ count: 1, examples: ["missing.png"] });
    expect(report.groupsFile).toBe(groupsPath);
    expect(report.perAttribute.map((a) => a.attribute)).toEqual(["subject", "dataset", "subject x dataset"]);
    const subject = report.perAttribute[0];
    expect(subject.groups.map((g) => g.group)).toEqual(["a", "b"]);
    expect(subject.groups.reduce((n, g) => n + g.count, 0)).toBe(report.matched);
    // "lab" holds 4 images: below the minimum of 5, so flagged and left out of the gaps.
    const lab = report.perAttribute[1].groups.find((g) => g.group === "lab");
    expect(lab?.tooSmall).toBe(true);
    expect(report.perAttribute[1].gaps.compared).toBe(1);
    expect(report.notes.join(" ")).toMatch(/Group subject = c has no image in validation/);
    expect(report.notes.join(" ")).toMatch(/No attribute is demographic/);
  });

  it("agrees with metrics.json when every image is in one group", async () => {
    const all = join(tiny.run.dir, "..", "all.csv");
    await writeFile(all, ["path,dataset", ...paths.map((p) => `${p},synthetic`)].join("\n"));
    const report = await runFairness(tiny.run, { groups: all, cacheDir: null });
    const metrics = await readRunJson<RunMetrics>(tiny.run, "metrics");
    expect(report.overall.accuracy).toBeCloseTo(metrics!.validation.accuracy, 12);
    expect(report.perAttribute[0].groups[0].macroF1).toBeCloseTo(metrics!.validation.macroF1, 12);
  });

  it("labels inferred columns everywhere and writes fairness.json and plots", async () => {
    const report = await runFairness(tiny.run, { groups: groupsPath, cacheDir: null, inferred: ["subject"], intersections: false });
    expect(report.attributes).toEqual(["subject (inferred, not self-reported)", "dataset"]);
    expect(report.notes.join(" ")).toContain("inferred by a model, not self-reported");
    const saved = await readRunJson<FairnessReport>(tiny.run, "fairness");
    expect(saved?.perAttribute).toHaveLength(2);
    expect(await readdir(join(tiny.run.dir, "plots"))).toEqual(expect.arrayContaining(["fairness_accuracy.html", "fairness_recall.html"]));
  });

  it("makes image-condition groups when no groups file exists", async () => {
    const report = await runFairness(tiny.run, { groups: "conditions", cacheDir: null });
    expect(report.attributes).toEqual(["brightness", "contrast", "source"]);
    expect(report.notes[0]).toMatch(/describe photographs, not people/);
    expect(await readdir(tiny.run.dir)).toContain("fairness_groups.csv");
  });

  it("groups an equalising run's images by the photographs as taken, not as equalised", async () => {
    const equalizing = await makeTinyRun("fair-equalized", { equalize: true });
    await runFairness(equalizing.run, { groups: "conditions", cacheDir: null });
    await runFairness(tiny.run, { groups: "conditions", cacheDir: null });
    const groups = async (run: RunHandle) => await readFile(join(run.dir, "fairness_groups.csv"), "utf8");
    expect(await groups(equalizing.run)).toBe(await groups(tiny.run));
  }, 120_000);

  it("refuses a groups file that names no image of the split", async () => {
    const none = join(tiny.run.dir, "..", "none.csv");
    await writeFile(none, "file,g\nnope.jpg,x\n");
    await expect(runFairness(tiny.run, { groups: none, cacheDir: null })).rejects.toThrow(/names no image of validation/);
  });
});

describe("fer fairness", () => {
  it("prints groups and gaps, and needs --groups", async () => {
    const env = { FER_RESULTS: tiny.resultsRoot };
    const out: string[] = [];
    expect(await main(["fairness", tiny.run.id, "--groups", groupsPath, "--min-group", "3", "--no-images"], { out: (t) => out.push(t), err: () => {}, env })).toBe(0);
    expect(out.join("")).toMatch(/subject:\n {2}a +n=\d+ +accuracy/);
    const err: string[] = [];
    expect(await main(["fairness", tiny.run.id], { out: () => {}, err: (t) => err.push(t), env })).toBe(1);
    expect(err.join("")).toContain("Option --groups is missing");
    expect(await main(["fairness", tiny.run.id, "--groups", groupsPath, "--columns", "age"], { out: () => {}, err: (t) => err.push(t), env })).toBe(1);
    expect(err.join("")).toContain('Column "age" is not in groups file');
  });
});
