import { describe, expect, it } from "vitest";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import type { ComparisonRow } from "../../src/experiment/compare_runs.ts";
import { createRun, writeRunJson } from "../../src/experiment/run_store.ts";
import { globMatcher, selectRuns } from "../../src/experiment/select_runs.ts";
import { runSelectionFromFlags } from "../../src/cli/run_selection_flags.ts";

/** A row with what selectRuns reads; the rest empty. */
function row(id: string, name: string, status: string, val: number | null, test: number | null = null): ComparisonRow {
  const interval = (value: number | null) => (value === null ? null : { value, low: value - 0.01, high: value + 0.01, level: 0.95, method: "wilson" });
  return {
    id, name, status, kind: "run", model: "small_cnn", seed: 1, backend: "cpu", synthetic: false, epochs: 1, trainSeconds: 1,
    valAccuracy: interval(val), valMacroF1: null, valEce: null, valLeakFreeAccuracy: null,
    testAccuracy: interval(test), testLeakFreeAccuracy: null, testMacroF1: null, testEce: null,
  } as ComparisonRow;
}

describe("globMatcher", () => {
  it("matches whole names: * any characters (none too), ? one, the rest literally", () => {
    expect(globMatcher("best_fer2013*")("best_fer2013")).toBe(true);
    expect(globMatcher("best_fer2013*")("best_fer2013_crop40_seed7")).toBe(true);
    expect(globMatcher("best_fer2013*")("x_best_fer2013")).toBe(false);
    expect(globMatcher("seed?")("seed7")).toBe(true);
    expect(globMatcher("seed?")("seed11")).toBe(false);
    // A dot or a bracket in a name is itself, not a regular expression's.
    expect(globMatcher("a.b")("axb")).toBe(false);
    expect(globMatcher("a[1]")("a[1]")).toBe(true);
    expect(() => globMatcher("")).toThrow(/empty name pattern/);
  });
});

describe("selectRuns", () => {
  const rows = [
    row("r1", "small_cnn", "completed", 0.70, 0.66),
    row("r2", "best_fer2013_seed7", "completed", 0.68),
    row("r3", "best_fer2013", "interrupted", 0.60),
    row("r4", "best_4class", "completed", 0.80, 0.84),
    row("r5", "best_fer2013_seed3", "failed", null),
    row("r6", "best_fer2013_long", "completed", 0.68),
  ];
  const ids = (kept: ComparisonRow[]) => kept.map((r) => r.id);

  it("keeps every row in its order when nothing is asked", () => {
    expect(ids(selectRuns(rows))).toEqual(["r1", "r2", "r3", "r4", "r5", "r6"]);
  });

  it("keeps the runs whose name matches any glob and whose status is one asked for", () => {
    expect(ids(selectRuns(rows, { names: ["best_fer2013*"] }))).toEqual(["r2", "r3", "r5", "r6"]);
    expect(ids(selectRuns(rows, { names: ["best_fer2013*", "small_cnn"], statuses: ["completed"] }))).toEqual(["r1", "r2", "r6"]);
    expect(ids(selectRuns(rows, { statuses: ["interrupted", "failed"] }))).toEqual(["r3", "r5"]);
    expect(selectRuns(rows, { names: ["nothing*"] })).toEqual([]);
  });

  it("sorts by accuracy, highest first, runs without one last; equal scores and names stay oldest first", () => {
    expect(ids(selectRuns(rows, { sort: "val" }))).toEqual(["r4", "r1", "r2", "r6", "r3", "r5"]);
    expect(ids(selectRuns(rows, { sort: "test" }))).toEqual(["r4", "r1", "r2", "r3", "r5", "r6"]);
    expect(ids(selectRuns(rows, { sort: "name" }))).toEqual(["r4", "r3", "r6", "r5", "r2", "r1"]);
    expect(ids(selectRuns(rows, { names: ["best_fer2013*"], statuses: ["completed"], sort: "val" }))).toEqual(["r2", "r6"]);
  });
});

describe("runSelectionFromFlags", () => {
  it("reads comma-separated globs and statuses and a sort key, and refuses what it does not know", () => {
    expect(runSelectionFromFlags({})).toEqual({});
    expect(runSelectionFromFlags({ name: "best_*, small_cnn", status: "completed,stale", sort: "val" }))
      .toEqual({ names: ["best_*", "small_cnn"], statuses: ["completed", "stale"], sort: "val" });
    expect(() => runSelectionFromFlags({ status: "done" })).toThrow(/--status has "done"; use one or more of running, completed/);
    expect(() => runSelectionFromFlags({ sort: "accuracy" })).toThrow(/--sort is "accuracy"; use one of time, val, test, name/);
    expect(() => runSelectionFromFlags({ name: " , " })).toThrow(/--name is empty/);
  });
});

describe("fer list and fer compare with a selection", () => {
  it("show the runs selected, in the order asked; compare pairs a selection of two and refuses ids with a filter", async () => {
    const root = await mkdtemp(join(tmpdir(), "fer-select-"));
    const now = new Date("2026-01-01T00:00:00Z");
    const interval = (value: number) => ({ value, low: value - 0.05, high: value + 0.05, level: 0.95, method: "wilson" });
    const made: Record<string, string> = {};
    for (const [name, status, val] of [["cnn_a", "completed", 0.6], ["cnn_b", "completed", 0.7], ["other", "completed", 0.9], ["cnn_c", "failed", 0]] as const) {
      const run = await createRun(root, { name, model: { family: "small_cnn" } }, { name, now });
      await writeRunJson(run, "manifest", { name, seed: 1, status });
      if (status === "completed") await writeRunJson(run, "metrics", { validation: { accuracyInterval: interval(val) } });
      made[name] = run.id;
    }
    const io = () => {
      const seen = { out: "", err: "" };
      return { seen, io: { out: (t: string) => (seen.out += t), err: (t: string) => (seen.err += t), env: { FER_RESULTS: root } } };
    };
    const listed = io();
    expect(await main(["list", "--name", "cnn_*", "--status", "completed", "--sort", "val"], listed.io)).toBe(0);
    expect(listed.seen.out.trim().split("\n").map((line) => line.split(/\s+/)[0])).toEqual([made.cnn_b, made.cnn_a]);
    const none = io();
    expect(await main(["list", "--name", "nothing*"], none.io)).toBe(0);
    expect(none.seen.out).toBe("No run of the 4 saved matches --name 'nothing*'; deno task fer list shows them all\n");

    const compared = io();
    const out = join(root, "cmp");
    expect(await main(["compare", "--name", "cnn_*", "--status", "completed", "--sort", "val", "--out", out, "--no-images"], compared.io)).toBe(0);
    const table = compared.seen.out.split("\n").filter((line) => line.includes("cnn_"));
    expect(table.map((line) => line.includes("cnn_b") ? "b" : "a")).toEqual(["b", "a"]);
    // A selection of two is tested as two named runs are; these have no predictions to pair, which the message says.
    expect(compared.seen.err).toMatch(/Paired tests skipped/);
    const refused = io();
    expect(await main(["compare", made.cnn_a, "--name", "cnn_*"], refused.io)).not.toBe(0);
    expect(refused.seen.err).toMatch(/Give run ids or --name\/--status, not both/);
  });
});
