import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findIdenticalRun } from "../../src/experiment/find_identical_run.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { createRun, runPath, writeRunJson } from "../../src/experiment/run_store.ts";
import { TINY_MODEL } from "./_fixtures.ts";

const tiny = (name: string, training: Record<string, unknown> = {}) => ({ name, dataset: { root: "data/x", size: 24 }, model: TINY_MODEL, training: { epochs: 1, ...training } });

/** A completed run of `json` with a saved model, whose manifest adds `extra`, made `minutes` after a fixed time. */
async function completedRun(resultsRoot: string, json: ReturnType<typeof tiny>, minutes: number, extra: Record<string, unknown> = {}) {
  const config = parseRunConfig(json);
  const run = await createRun(resultsRoot, config, { name: config.name, now: new Date(Date.UTC(2026, 11, 4, 12, minutes)) });
  await writeRunJson(run, "manifest", { id: run.id, name: config.name, status: "completed", seed: config.seed, ...extra });
  await mkdir(runPath(run, "model"), { recursive: true });
  await writeFile(join(runPath(run, "model"), "model.json"), "{}");
  return run;
}

describe("findIdenticalRun of a config that names its source by config path", () => {
  it("reuses a run only while the runs it learned from are of what the source file holds now", async () => {
    const projectRoot = await mkdtemp(join(tmpdir(), "fer-identical-"));
    const resultsRoot = join(projectRoot, "results");
    const sourcePath = join(projectRoot, "source.json");
    const sourceV1 = tiny("source");
    await writeFile(sourcePath, JSON.stringify(sourceV1));
    const sourceRun = await completedRun(resultsRoot, sourceV1, 0);
    const dependent = tiny("dependent", { initFrom: sourcePath });
    const dependentRun = await completedRun(resultsRoot, dependent, 1, { initFrom: { run: sourceRun.id, name: "source", source: "trained", classifier: "copied" } });
    // A newer run of the same config whose manifest does not say which run it started from cannot show it: passed over.
    await completedRun(resultsRoot, dependent, 2);
    const find = () => findIdenticalRun(resultsRoot, parseRunConfig(dependent), projectRoot);
    expect((await find())?.id).toBe(dependentRun.id);

    // The same path now holds another experiment (another config renamed onto it, an edit): the run learned from
    // something else, so it is not this experiment's.
    await writeFile(sourcePath, JSON.stringify(tiny("source", { epochs: 2 })));
    expect(await find()).toBeUndefined();
    // A source file that no longer reads as a run config cannot be matched either.
    await writeFile(sourcePath, "{ not json");
    expect(await find()).toBeUndefined();
    // Back as it was (a rename, say, only in its name and notes): the run is reused again.
    await writeFile(sourcePath, JSON.stringify({ ...sourceV1, name: "source_renamed", notes: "renamed" }));
    expect((await find())?.id).toBe(dependentRun.id);

    // A teacher named by path is checked the same way, by its place in the list.
    const student = tiny("student", { distill: { teachers: [sourcePath] } });
    const teacherRecord = (run: string) => ({ distill: { teachers: [{ run, name: "source", source: "reused", agreement: 0.5 }], agreement: 0.5 } });
    const studentRun = await completedRun(resultsRoot, student, 3, teacherRecord(sourceRun.id));
    expect((await findIdenticalRun(resultsRoot, parseRunConfig(student), projectRoot))?.id).toBe(studentRun.id);
    const otherSource = await completedRun(resultsRoot, tiny("source", { epochs: 3 }), 4);
    await completedRun(resultsRoot, student, 5, teacherRecord(otherSource.id));
    expect((await findIdenticalRun(resultsRoot, parseRunConfig(student), projectRoot))?.id).toBe(studentRun.id);
  });
});
