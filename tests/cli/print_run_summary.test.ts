import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printRunSummary } from "../../src/cli/print_run_summary.ts";
import { createRun, writeRunJson } from "../../src/experiment/run_store.ts";

describe("printRunSummary", () => {
  it("prints every warning stored in metrics.json, such as a transfer run's collapse", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-summary-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date("2026-01-01T00:00:00Z") });
    const warning = 'validation predictions collapse: 91% are "happy" (its share is 35%); check the backbone preprocessing';
    await writeRunJson(run, "metrics", { epochsTrained: 0, keptEpoch: 0, stopReason: "completed", classes: ["happy", "sad"], warnings: [warning] });
    let text = "";
    await printRunSummary(run, { out: (t) => text += t, err: () => {} });
    expect(text).toContain(`  WARNING: ${warning}\n`);
    expect(text.trimEnd().endsWith(`folder ${run.dir}`)).toBe(true);
  });
});

describe("printRunSummary with TTA", () => {
  it("says when the figures average test-time augmented views, and how many", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-summary-"));
    const run = await createRun(root, { name: "t" }, { name: "t", now: new Date("2026-01-01T00:00:00Z") });
    const tta = { horizontalFlip: true, shifts: [], crops: { size: 0.9, positions: ["center", "top_left", "top_right", "bottom_left", "bottom_right"] } };
    await writeRunJson(run, "metrics", { epochsTrained: 1, keptEpoch: 1, stopReason: "completed", classes: ["happy", "sad"], tta });
    let text = "";
    await printRunSummary(run, { out: (t) => text += t, err: () => {} });
    expect(text).toContain("  scored with test-time augmentation: flip+crops (12 views per image)\n");
    await writeRunJson(run, "metrics", { epochsTrained: 1, keptEpoch: 1, stopReason: "completed", classes: ["happy", "sad"], tta: null });
    text = "";
    await printRunSummary(run, { out: (t) => text += t, err: () => {} });
    expect(text).not.toContain("test-time augmentation");
  });
});

describe("printRunSummary of an ensemble run", () => {
  it("names its combiner and lists its members' own scores instead of epochs it did not train", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-summary-"));
    const run = await createRun(root, { name: "pool" }, { name: "pool", now: new Date("2026-01-01T00:00:00Z") });
    const interval = (value: number) => ({ value, low: value - 0.02, high: value + 0.02, level: 0.95, method: "wilson" });
    const member = (runId: string, name: string, accuracy: number) => ({
      runId,
      name,
      tta: null,
      validation: { accuracyInterval: interval(accuracy), macroF1: accuracy, logLoss: 0.9 },
      test: null,
    });
    await writeRunJson(run, "metrics", {
      epochsTrained: 0,
      keptEpoch: 0,
      stopReason: "completed",
      classes: ["happy", "sad"],
      ensemble: {
        combiner: "log_linear_pool",
        validationMode: "out_of_fold",
        weights: [0.77, 0.47],
        validationLogLoss: 0.86,
        testLogLoss: null,
        members: [member("run-a", "net_a", 0.688), member("run-b", "net_b", 0.682)],
        diversity: { members: [], count: 0, accuracy: [], disagreement: [], errorCorrelation: [] },
      },
    });
    await writeRunJson(run, "manifest", {
      dataset: { synthetic: false, counts: { train: 10 } },
      durations: {},
      members: [{ runId: "run-b", trainedOn: "/data/fer2013" }],
    });
    let text = "";
    await printRunSummary(run, { out: (t) => text += t, err: () => {} });
    expect(text).toContain("  an ensemble of 2 member run(s), stop: completed\n");
    expect(text).not.toContain("weights from epoch");
    expect(text).toContain("  log_linear_pool, validation out of fold (cross-validated); members on the same images:\n");
    expect(text).toContain("    net_a (run-a) weight 0.770: validation 0.688 [0.668, 0.708]\n");
    expect(text).toContain("    net_b (run-b, trained on /data/fer2013) weight 0.470: validation 0.682 [0.662, 0.702]\n");
    expect(text.trimEnd().endsWith(`folder ${run.dir}`)).toBe(true);
  });
});
