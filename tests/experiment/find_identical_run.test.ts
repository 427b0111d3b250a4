import { describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLASSES } from "../../src/data/classes.ts";
import { folderFingerprint } from "../../src/data/folder_fingerprint.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { findIdenticalRun, findResumableIdenticalRun } from "../../src/experiment/find_identical_run.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { createRun, currentRunProcess, runPath, writeRunJson } from "../../src/experiment/run_store.ts";
import { TINY_MODEL } from "./experiment_fixtures.ts";

const DATA = "data/four";
const tiny = (name: string, training: Record<string, unknown> = {}) => ({ name, dataset: { root: DATA, size: 24 }, model: TINY_MODEL, training: { epochs: 1, ...training } });

/** A project folder with a small synthetic dataset at `DATA`, and its fingerprint as a run reading it records. */
async function project(): Promise<{ projectRoot: string; fingerprint: string }> {
  const projectRoot = await mkdtemp(join(tmpdir(), "fer-identical-"));
  await generateSyntheticDataset(join(projectRoot, DATA), { perClass: { train: 4, validation: 2, test: 2 }, size: 24, seed: 3 });
  return { projectRoot, fingerprint: await folderFingerprint(join(projectRoot, DATA), { classes: DEFAULT_CLASSES, decode: { size: 24 } }) };
}

let fingerprint = "";

/** A completed run of `json` with a saved model, on the project's data, whose manifest adds `extra`, made `minutes` after a fixed time. */
async function completedRun(resultsRoot: string, json: ReturnType<typeof tiny>, minutes: number, extra: Record<string, unknown> = {}) {
  const config = parseRunConfig(json);
  const run = await createRun(resultsRoot, config, { name: config.name, now: new Date(Date.UTC(2026, 11, 4, 12, minutes)) });
  await writeRunJson(run, "manifest", { id: run.id, name: config.name, status: "completed", seed: config.seed, dataset: { fingerprint }, ...extra });
  await mkdir(runPath(run, "model"), { recursive: true });
  await writeFile(join(runPath(run, "model"), "model.json"), "{}");
  return run;
}

describe("findIdenticalRun of a config that names its source by config path", () => {
  it("reuses a run only while the runs it learned from are of what the source file holds now", async () => {
    const made = await project();
    const projectRoot = made.projectRoot;
    fingerprint = made.fingerprint;
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
    // The source config moved to another path, and the dependent config names the new one: the same experiment.
    const movedPath = join(projectRoot, "moved", "source_v1.json");
    await mkdir(join(projectRoot, "moved"), { recursive: true });
    await writeFile(movedPath, JSON.stringify({ ...sourceV1, name: "source_v1" }));
    const followed = parseRunConfig(tiny("dependent", { initFrom: movedPath }));
    expect((await findIdenticalRun(resultsRoot, followed, projectRoot))?.id).toBe(dependentRun.id);
    // ... but not when the new path holds another experiment, nor for a source named by a run id instead.
    await writeFile(movedPath, JSON.stringify(tiny("source", { epochs: 2 })));
    expect(await findIdenticalRun(resultsRoot, followed, projectRoot)).toBeUndefined();
    expect(await findIdenticalRun(resultsRoot, parseRunConfig(tiny("dependent", { initFrom: sourceRun.id })), projectRoot)).toBeUndefined();

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

describe("findIdenticalRun and the dataset", () => {
  it("reuses a run only while its dataset folder holds the files it trained on", async () => {
    const made = await project();
    fingerprint = made.fingerprint;
    const resultsRoot = join(made.projectRoot, "results");
    const json = tiny("plain");
    const run = await completedRun(resultsRoot, json, 0);
    const find = () => findIdenticalRun(resultsRoot, parseRunConfig(json), made.projectRoot);
    expect((await find())?.id).toBe(run.id);
    // One training image replaced (as this dataset's blurred train split was): the run learned from other data.
    const happy = join(made.projectRoot, DATA, "train", "happy");
    const [first] = await readdir(happy);
    await writeFile(join(happy, first), await readFile(join(made.projectRoot, DATA, "train", "sad", (await readdir(join(made.projectRoot, DATA, "train", "sad")))[0])));
    expect(await find()).toBeUndefined();
    // No dataset there at all: nothing is reused, and the run itself will say what is missing.
    await rm(join(made.projectRoot, DATA), { recursive: true });
    expect(await find()).toBeUndefined();
  });
});

describe("findResumableIdenticalRun", () => {
  it("finds the newest run of the experiment that stopped with its checkpoint, on the data as it is now", async () => {
    const made = await project();
    fingerprint = made.fingerprint;
    const resultsRoot = join(made.projectRoot, "results");
    const json = tiny("sittings", { epochs: 3 });
    const find = () => findResumableIdenticalRun(resultsRoot, parseRunConfig(json), made.projectRoot);
    const stoppedRun = async (minutes: number, status: string, checkpoint: boolean, extra: Record<string, unknown> = {}) => {
      const run = await completedRun(resultsRoot, json, minutes, { status, ...extra });
      if (checkpoint) await writeFile(runPath(run, "checkpoint"), "weights and optimizer state");
      return run;
    };
    expect(await find()).toBeUndefined();
    await stoppedRun(0, "interrupted", false); // stopped before its first epoch ended: nothing to go on with
    expect(await find()).toBeUndefined();
    const interrupted = await stoppedRun(1, "interrupted", true);
    expect((await find())?.id).toBe(interrupted.id);
    const failed = await stoppedRun(2, "failed", true);
    expect((await find())?.id).toBe(failed.id); // the newest
    // A run of it still training here, and another experiment's stopped run, are not candidates.
    await stoppedRun(3, "running", true, { process: currentRunProcess() });
    await completedRun(resultsRoot, tiny("other", { epochs: 3 }), 4, { status: "interrupted" });
    expect((await find())?.id).toBe(failed.id);
    // Its process gone while running (stale): resumable too.
    const stale = await stoppedRun(5, "running", true, { process: { pid: 999_999_999, host: currentRunProcess().host } });
    expect((await find())?.id).toBe(stale.id);
    // A run the caller names as not wanted (fer rerun's original) is passed over for the next one.
    expect((await findResumableIdenticalRun(resultsRoot, parseRunConfig(json), made.projectRoot, stale.id))?.id).toBe(failed.id);
    // Another dataset's run would go on with other images: not this experiment any more.
    fingerprint = "another dataset";
    await stoppedRun(6, "interrupted", true);
    expect((await find())?.id).toBe(stale.id);
  });
});
