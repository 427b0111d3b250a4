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
