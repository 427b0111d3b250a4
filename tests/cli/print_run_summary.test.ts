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
