import { beforeAll, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { loadDataset } from "../../src/data/load_dataset.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { openRun, readHistory, readRunJson } from "../../src/experiment/run_store.ts";
import type { RunManifest } from "../../src/experiment/run_manifest.ts";
import { resolveTeachers, softenRows, teacherMismatches, teacherTargets } from "../../src/experiment/teacher_targets.ts";
import { ConfigError, RunNotStartedError } from "../../src/core/errors.ts";
import { main } from "../../src/cli.ts";
import { CONSTANT_PROBABILITIES, constantRun, FER2013_CLASSES, loggingRunContext, tinyRunConfig } from "./experiment_fixtures.ts";

let dataRoot = "";
beforeAll(async () => {
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-distill-data-")), "four");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 16, validation: 4, test: 4 }, size: 24, seed: 3 });
});


function config(extra: Record<string, unknown> = {}, training: Record<string, unknown> = {}) {
  return tinyRunConfig(dataRoot, { name: "student", ...extra }, training);
}

const context = loggingRunContext;

describe("softenRows", () => {
  it("raises each probability to 1 / temperature and renormalises each row", () => {
    // [0.8, 0.2] at temperature 2: sqrt gives 0.894 and 0.447, so 2/3 and 1/3; temperature 1 keeps the row.
    const soft = softenRows(new Float64Array([0.8, 0.2, 0.5, 0.5]), 2, 2);
    expect(soft[0]).toBeCloseTo(2 / 3, 6);
    expect(soft[1]).toBeCloseTo(1 / 3, 6);
    expect(Array.from(soft.subarray(2))).toEqual([0.5, 0.5]);
    expect(Array.from(softenRows([0.7, 0.3], 2, 1)).map((v) => +v.toFixed(6))).toEqual([0.7, 0.3]);
    // Below 1 sharpens: [0.6, 0.4] at 0.5 is [0.36, 0.16] / 0.52.
    expect(softenRows([0.6, 0.4], 2, 0.5)[0]).toBeCloseTo(0.36 / 0.52, 6);
  });
});

describe("teacherMismatches", () => {
  it("names another input size, channel count, equalisation or a missing class, and accepts another model and preprocessing", () => {
    const student = parseRunConfig(config());
    const other = parseRunConfig(config({ model: { family: "small_cnn", filters: [8] }, dataset: { root: dataRoot, size: 24, preprocessing: "standardize" } }));
    expect(teacherMismatches(other, student)).toEqual([]);
    const bigger = parseRunConfig(config({ dataset: { root: dataRoot, size: 32, equalize: true } }));
    expect(teacherMismatches(bigger, student).join("; ")).toMatch(/dataset\.size is 32, this config's 24; its dataset\.equalize is true/);
    const fewer = parseRunConfig(config({ dataset: { root: dataRoot, size: 24, classes: ["happy", "sad"] } }));
    expect(teacherMismatches(fewer, student)).toEqual(["it was trained without surprise, neutral"]);
  });
});

describe("teacherTargets", () => {
  it("keeps a seven-class teacher's probabilities of this run's four classes, renormalised, and counts its agreement with the labels", async () => {
    const { resultsRoot, runId } = await constantRun();
    const teacherRun = await openRun(resultsRoot, runId);
    const teacherConfig = parseRunConfig((await readRunJson(teacherRun, "config"))!);
    const dataset = await loadDataset(dataRoot, { classes: ["happy", "sad", "surprise", "neutral"], decode: { size: 24, channels: 1 } });
    const train = dataset.splits.train;
    const logs: string[] = [];
    const progress: number[][] = [];
    const targets = await teacherTargets([{ run: teacherRun, config: teacherConfig, origin: "run" }], train, {
      classes: ["happy", "sad", "surprise", "neutral"],
      temperature: 1,
      log: (line) => logs.push(line),
      progress: (teacher) => (done, total) => progress.push([teacher, done, total]),
    });
    // 64 images in one batch of 128: one report, of the first teacher, all done.
    expect(progress).toEqual([[0, 64, 64]]);
    expect(logs[0]).toBe(`Teacher ${runId} (constant_fer2013): scoring 64 training images, 1 view(s) each`);
    // happy 0.10, sad 0.20, surprise 0.18, neutral 0.12 of the seven, over their sum 0.60.
    const fourOfSeven = ["happy", "sad", "surprise", "neutral"].map((name) => CONSTANT_PROBABILITIES[FER2013_CLASSES.indexOf(name)] / 0.6);
    expect(targets.rows).toHaveLength(train.count * 4);
    for (let i = 0; i < train.count; i++) {
      Array.from(targets.rows.subarray(i * 4, i * 4 + 4)).forEach((value, c) => expect(value).toBeCloseTo(fourOfSeven[c], 5));
    }
    // It always says sad: it agrees with the labels of the sad images only, a quarter of them.
    expect(targets.agreement).toBeCloseTo(0.25, 6);
    expect(targets.teacherAgreement).toEqual([targets.agreement]);
    expect(logs[1]).toMatch(new RegExp(`^Teacher ${runId}: its top class is the label for 25\\.0% of 64 training images \\(\\d+ s\\)$`));

    // Two teachers are averaged before the temperature softens the average.
    const twice = await teacherTargets([
      { run: teacherRun, config: teacherConfig, origin: "run" },
      { run: teacherRun, config: teacherConfig, origin: "run" },
    ], train, { classes: ["happy", "sad", "surprise", "neutral"], temperature: 2, log: () => {} });
    const softened = softenRows(fourOfSeven, 4, 2);
    Array.from(twice.rows.subarray(0, 4)).forEach((value, c) => expect(value).toBeCloseTo(softened[c], 5));
    expect(twice.probabilities).toEqual(["computed", "computed"]);
  });

  it("keeps each teacher's scores in the cache: read back for the same model, images and backend, computed again otherwise", async () => {
    const { resultsRoot, runId } = await constantRun();
    const teacherRun = await openRun(resultsRoot, runId);
    const teacher = { run: teacherRun, config: parseRunConfig((await readRunJson(teacherRun, "config"))!), origin: "run" as const };
    const dataset = await loadDataset(dataRoot, { classes: ["happy", "sad", "surprise", "neutral"], decode: { size: 24, channels: 1 } });
    const cacheDir = await mkdtemp(join(tmpdir(), "fer-teacher-cache-"));
    const score = async (train = dataset.splits.train, scoredWith: Record<string, unknown> = { backend: "cpu" }) => {
      const logs: string[] = [];
      const started: number[] = [];
      const targets = await teacherTargets([teacher], train, {
        classes: ["happy", "sad", "surprise", "neutral"],
        temperature: 1,
        cacheDir,
        scoredWith,
        log: (line) => logs.push(line),
        progress: (index) => (started.push(index), () => {}),
      });
      return { targets, logs, started };
    };
    const first = await score();
    expect(first.targets.probabilities).toEqual(["computed"]);
    expect(first.started).toEqual([0]);
    const stored = await readdir(join(cacheDir, "teachers"));
    expect(stored).toHaveLength(1);

    const second = await score();
    expect(second.targets.probabilities).toEqual(["cached"]);
    expect(second.started).toEqual([]); // scores read from the cache start no progress
    expect(Array.from(second.targets.rows)).toEqual(Array.from(first.targets.rows));
    expect(second.targets.agreement).toBe(first.targets.agreement);
    expect(second.logs).toHaveLength(1);
    expect(second.logs[0]).toMatch(new RegExp(`^Teacher ${runId}: its top class is the label for 25\\.0% of 64 training images \\(scores read from the cache; \\d+ s\\)$`));

    // Another backend, other images, or other model files: scored again, under a key of their own.
    expect((await score(undefined, { backend: "wasm" })).targets.probabilities).toEqual(["computed"]);
    expect((await score(dataset.splits.validation)).targets.probabilities).toEqual(["computed"]);
    const weights = join(teacherRun.dir, "model", "weights.bin");
    const bytes = await readFile(weights);
    await writeFile(weights, bytes.map((b, i) => i < 4 ? b ^ 0xff : b));
    expect((await score()).targets.probabilities).toEqual(["computed"]);
    await writeFile(weights, bytes);
    expect((await score()).targets.probabilities).toEqual(["cached"]);
    expect(await readdir(join(cacheDir, "teachers"))).toHaveLength(4);

    // A damaged cache file is said, scored again and replaced.
    const file = join(cacheDir, "teachers", stored[0]);
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    const damaged = await score();
    expect(damaged.targets.probabilities).toEqual(["computed"]);
    expect(damaged.logs[0]).toMatch(new RegExp(`^Teacher ${runId}: cached scores unusable \\(.+\\); scoring again$`));
    expect(Array.from(damaged.targets.rows)).toEqual(Array.from(first.targets.rows));
    expect((await score()).targets.probabilities).toEqual(["cached"]);
  });
});

describe("runExperiment with training.distill", () => {
  it("trains a teacher config first, then reuses it and its cached scores; records the teachers; the targets change the training loss", async () => {
    const ctx = { ...await context(), cacheDir: await mkdtemp(join(tmpdir(), "fer-distill-cache-")) };
    const configDir = await mkdtemp(join(tmpdir(), "fer-distill-configs-"));
    const teacherPath = join(configDir, "teacher.json");
    await writeFile(teacherPath, JSON.stringify(config({ name: "teacher", seed: 11 }, { epochs: 2 })));
    const distill = { teachers: [teacherPath], weight: 0.7, temperature: 2 };
    const first = await runExperiment(parseRunConfig(config({}, { distill })), ctx);
    const runs = (await readdir(join(ctx.resultsRoot, "runs"))).sort();
    expect(runs).toHaveLength(2);
    const teacherId = runs.find((id) => id.includes("-teacher-"))!;
    expect(first.manifest.distill?.teachers).toEqual([
      { run: teacherId, name: "teacher", source: "trained", agreement: expect.any(Number), probabilities: "computed" },
    ]);
    expect(first.manifest.distill?.agreement).toBe(first.manifest.distill?.teachers[0].agreement);
    expect((await readRunJson<RunManifest>(first.run, "manifest"))?.distill?.teachers[0].run).toBe(teacherId);
    expect(ctx.logs.join("\n")).toContain(`Teacher ${teacherId}: its top class is the label for`);

    // fer show and the model card say what the run learned from.
    const env = { FER_RESULTS: ctx.resultsRoot };
    let shown = "";
    await main(["show", first.run.id], { out: (t) => (shown += t), err: () => {}, env });
    const line = `distilled: its training targets blend the label with the averaged probabilities of 1 teacher run(s) (weight 0.7, temperature 2): ${teacherId} (teacher)`;
    expect(shown).toContain(line);
    expect(await main(["card", first.run.id], { out: () => {}, err: () => {}, env })).toBe(0);
    const card = await readFile(join(first.run.dir, "MODEL_CARD.md"), "utf8");
    expect(card).toContain(line);
    expect(card).toContain(`teacher: run ${teacherId} (teacher)`);

    const again = await runExperiment(parseRunConfig(config({}, { distill })), ctx);
    expect(again.manifest.distill?.teachers[0]).toMatchObject({ source: "reused", probabilities: "cached" });
    // Same seed, same teacher: the same training. Without the teacher the targets, and so the loss, differ.
    const plain = await runExperiment(parseRunConfig(config()), ctx);
    const [distilledLoss, againLoss, plainLoss] = await Promise.all([first, again, plain].map(async (o) => (await readHistory(o.run))[0].loss));
    expect(againLoss).toBeCloseTo(distilledLoss, 5);
    expect(Math.abs(plainLoss - distilledLoss)).toBeGreaterThan(1e-3);
    expect(plain.manifest.distill).toBeUndefined();
  });

  it("refuses a teacher that cannot score the images, a repeated teacher and a config that teaches itself, before any run folder exists", async () => {
    const ctx = await context();
    const teacher = await runExperiment(parseRunConfig(config({ name: "teacher" })), ctx);
    const configDir = await mkdtemp(join(tmpdir(), "fer-distill-configs-"));
    const bigPath = join(configDir, "big.json");
    await writeFile(bigPath, JSON.stringify(config({ name: "big", dataset: { root: dataRoot, size: 32 } })));
    const error = await runExperiment(parseRunConfig(config({}, { distill: { teachers: [bigPath] } })), ctx).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/training\.distill\.teachers: .*big\.json \(big\) cannot score student's training images: its dataset\.size is 32, this config's 24/);
    await expect(runExperiment(parseRunConfig(config({}, { distill: { teachers: [teacher.run.id, teacher.run.id] } })), ctx))
      .rejects.toThrow(new RegExp(`names run ${teacher.run.id} twice`));
    await expect(runExperiment(parseRunConfig(config({}, { distill: { teachers: ["20260101-000000-nothing-000000"] } })), ctx))
      .rejects.toThrow(/No run "20260101-000000-nothing-000000"/);
    const selfPath = join(configDir, "self.json");
    await writeFile(selfPath, JSON.stringify(config({ name: "self" }, { distill: { teachers: [selfPath] } })));
    await expect(runExperiment(parseRunConfig(config({ name: "self" }, { distill: { teachers: [selfPath] } })), ctx))
      .rejects.toThrow(/training\.distill\.teachers .*self\.json leads back to this run's own config/);
    // An ensemble, as a config file or as a run, is refused with what to name instead.
    const ensemblePath = join(configDir, "vote.json");
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "vote", members: [{ run: teacher.run.id }], combiner: "soft_vote" }));
    await expect(runExperiment(parseRunConfig(config({}, { distill: { teachers: [ensemblePath] } })), ctx))
      .rejects.toThrow(/training\.distill\.teachers: .*vote\.json is an ensemble; name its members instead/);
    const ensembleId = "20261204-000000-vote-abcdef";
    await mkdir(join(ctx.resultsRoot, "runs", ensembleId), { recursive: true });
    await writeFile(join(ctx.resultsRoot, "runs", ensembleId, "config.json"), await readFile(ensemblePath, "utf8"));
    await expect(runExperiment(parseRunConfig(config({}, { initFrom: ensembleId })), ctx))
      .rejects.toThrow(new RegExp(`training\\.initFrom: run ${ensembleId} is an ensemble; name its members instead`));
    expect((await readdir(join(ctx.resultsRoot, "runs"))).sort()).toEqual([ensembleId, teacher.run.id].sort());
  });

  it("scores with the test-time views of the teacher config it names, though the run it reuses was saved without them", async () => {
    const ctx = await context();
    const teacher = await runExperiment(parseRunConfig(config({ name: "teacher", seed: 11 })), ctx);
    const configDir = await mkdtemp(join(tmpdir(), "fer-distill-configs-"));
    const teacherPath = join(configDir, "teacher.json");
    // The same experiment (test-time views are not part of it), now read over the image and its mirror.
    await writeFile(teacherPath, JSON.stringify(config({ name: "teacher", seed: 11, tta: { horizontalFlip: true } })));
    const student = await runExperiment(parseRunConfig(config({}, { distill: { teachers: [teacherPath] } })), ctx);
    expect(student.manifest.distill?.teachers[0]).toMatchObject({ run: teacher.run.id, source: "reused" });
    const logs = ctx.logs.join("\n");
    expect(logs).toContain(`training.distill.teachers: ${teacherPath} asks for 2 test-time view(s) of each image; run ${teacher.run.id} was saved with 1: using ${teacherPath}'s`);
    expect(logs).toMatch(new RegExp(`Teacher ${teacher.run.id} \\(teacher\\): scoring \\d+ training images, 2 view\\(s\\) each`));
  });

  it("stops while its teachers score the training images when interrupted, writing no run folder; the same call goes on", async () => {
    const ctx = await context();
    const teacher = await runExperiment(parseRunConfig(config({ name: "teacher", seed: 11, tta: { horizontalFlip: true } })), ctx);
    const controller = new AbortController();
    const log = (line: string) => {
      ctx.logs.push(line);
      if (/scoring \d+ training images/.test(line)) controller.abort(); // a Ctrl-C as the pass begins
    };
    const student = parseRunConfig(config({}, { distill: { teachers: [teacher.run.id] } }));
    const stopped = runExperiment(student, { ...ctx, log, signal: controller.signal });
    await expect(stopped).rejects.toThrow(RunNotStartedError);
    await expect(stopped).rejects.toThrow("student stopped while its teachers scored the training images, before its training: no run folder");
    expect(await readdir(join(ctx.resultsRoot, "runs"))).toEqual([teacher.run.id]);
    const done = await runExperiment(student, ctx);
    expect(done.manifest.status).toBe("completed");
  });

  it("resolveTeachers needs a config with distill set", async () => {
    await expect(resolveTeachers(parseRunConfig(config()), await context(), { train: () => Promise.reject(new Error("unused")) }))
      .rejects.toThrow(/needs a config with training\.distill set/);
  });
});

describe("training.distill in a config", () => {
  it("fills in weight 0.5 and temperature 1, and refuses an empty teacher list, a weight outside (0, 1] and a transfer run", () => {
    expect(parseRunConfig(config({}, { distill: { teachers: ["x"] } })).training.distill).toEqual({ teachers: ["x"], weight: 0.5, temperature: 1 });
    expect(() => parseRunConfig(config({}, { distill: { teachers: [] } }))).toThrow(/training\.distill\.teachers/);
    expect(() => parseRunConfig(config({}, { distill: { teachers: ["x"], weight: 0 } }))).toThrow(/training\.distill\.weight/);
    expect(() => parseRunConfig(config({}, { distill: { teachers: ["x"], weight: 1.2 } }))).toThrow(/training\.distill\.weight/);
    expect(() => parseRunConfig(config({}, { distill: { teachers: ["x"], temperature: 0 } }))).toThrow(/training\.distill\.temperature/);
    const transfer = { family: "transfer", backbone: "human_emotion" };
    expect(() => parseRunConfig(config({ model: transfer }, { distill: { teachers: ["x"] } }))).toThrow(/teacher targets are not applied; remove training\.distill/);
  });
});
