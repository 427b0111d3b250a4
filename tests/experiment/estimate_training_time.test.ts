import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../src/cli.ts";
import { ensembleEstimateLines, estimateEnsemble } from "../../src/ensemble/estimate_ensemble.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { cpuLoadNow, estimateLines, estimateTrainingTime, trainingsInOrder } from "../../src/experiment/estimate_training_time.ts";
import { formatSeconds } from "../../src/train/progress_bar.ts";
import { parseEnsembleConfig } from "../../src/ensemble/ensemble_config.ts";
import { runEnsemble } from "../../src/ensemble/run_ensemble.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { sittingStop } from "../../src/train/sitting_limit.ts";
import { loggingRunContext, TINY_MODEL, tinyRunConfig } from "./experiment_fixtures.ts";

let dataRoot = "";
beforeAll(async () => {
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-estimate-data-")), "four");
  // 40 train, 20 validation and 12 test images.
  await generateSyntheticDataset(dataRoot, { perClass: { train: 10, validation: 5, test: 3 }, size: 24, seed: 3 });
});

/** A clock that moves one second each time it is read. */
function ticking(): () => number {
  let ms = 0;
  return () => (ms += 1000);
}

describe("estimateTrainingTime", () => {
  it("scales the timed steps and validation batches to the run's epochs, splits and test-time views", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, { tta: { horizontalFlip: true } }, { epochs: 3, batchSize: 8 }));
    const estimate = await estimateTrainingTime(config, ctx, { steps: 2, warmupSteps: 1, clock: ticking(), cpu: () => ({ load: 0.2, cores: 2 }) });
    // Clock reads: epoch start 1 s, three step ends 2, 3, 4 s; the two timed steps (16 images) took 2 s: 8 images/s.
    // Validation: all 20 images (fewer than one batch of 64, so the warm-up pass reads them too) between 5 and 6 s.
    expect(estimate).toMatchObject({
      backend: { name: "cpu", precision: "float32" },
      images: { train: 40, validation: 20, test: 12 },
      epochs: 3,
      batchSize: 8,
      timedSteps: 2,
      trainImagesPerSecond: 8,
      inferenceImagesPerSecond: 20,
      trainSecondsPerEpoch: 5,
      validationSecondsPerEpoch: 1,
      trainingSeconds: 18,
      views: 2,
      evaluationSeconds: 3.2, // (20 + 12) images x 2 views at 20 images/s
      totalSeconds: 21.2,
      notIncluded: [],
    });
    expect(estimateLines(estimate)).toContain("Estimated run time here: 21s");
    expect(estimateLines(estimate).join("\n")).not.toContain("busy");
    // A load of half the cores or more before timing: the rates are said to be low.
    expect(estimateLines({ ...estimate, cpu: { load: 1.4, cores: 2 } }).at(-1)).toBe(
      "  the CPU was busy before timing (1.4 of 2 cores in use by other work): it shared the cores with the timed steps, so the rates are low and the times long; estimate again on a quiet machine",
    );
    // An ensemble's members share one load reading: the caution comes once, after the total.
    const busy = { load: 1.4, cores: 2 };
    const scoring = { images: 32, views: 2, how: "estimated" as const, seconds: 4 };
    const ensembleLines = ensembleEstimateLines({
      members: [0, 1].map((index) => ({ index, name: `m${index}`, how: "to train" as const, estimate: { ...estimate, cpu: busy }, seconds: estimate.totalSeconds, scoring })),
      trainingSeconds: 2 * estimate.totalSeconds,
      scoringSeconds: 8,
      cpu: busy,
    });
    expect(ensembleLines.filter((l) => l.includes("the CPU was busy"))).toHaveLength(1);
    expect(ensembleLines.at(-2)).toBe(
      "Estimated ensemble time here: 50s: 42s to train the members that have no run (with the sources they train first), " +
        "8s to score the members over their views on validation and test (0 of 2 read from the score cache), and seconds to fit the combiner",
    );
    expect(ensembleLines).toContain("  scoring 32 images x 2 view(s): about 4s (at the inference rate of its estimate)");
    // Nothing is saved: no run folder.
    expect(existsSync(join(ctx.resultsRoot, "runs"))).toBe(false);
  });

  it("times fewer steps when the training split has fewer, and measures real time by default", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, { dataset: { root: dataRoot, size: 24, augmentation: { horizontalFlip: true } } }, { batchSize: 16 }));
    const estimate = await estimateTrainingTime(config, ctx, { steps: 30 });
    // 40 images at batch 16: three steps, two of them warm-up at most, so one is timed.
    expect(estimate.timedSteps).toBe(1);
    expect(estimate.trainImagesPerSecond).toBeGreaterThan(0);
    expect(estimate.totalSeconds).toBeCloseTo(estimate.trainingSeconds + estimate.evaluationSeconds, 9);
    expect(ctx.logs).toContain("Timing 1 training step(s) of 16 images after 2 warm-up step(s)");
  });

  it("names what it leaves out: a source config still to train, early stopping", async () => {
    const ctx = await loggingRunContext();
    const sourcePath = join(await mkdtemp(join(tmpdir(), "fer-estimate-source-")), "source.json");
    await writeFile(sourcePath, JSON.stringify(tinyRunConfig(dataRoot, { name: "source" })));
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: sourcePath, earlyStopping: { patience: 2 } }));
    const estimate = await estimateTrainingTime(config, ctx, { steps: 1, clock: ticking() });
    expect(estimate.notIncluded).toEqual([
      `${sourcePath} has no completed run yet and is trained first (estimate it: deno task fer run ${sourcePath} --estimate)`,
      "early stopping may end training sooner: the epochs are an upper bound",
    ]);
    // A run of the source that stopped with its checkpoint goes on first: the note says how far it got.
    const longPath = join(dirname(sourcePath), "long_source.json");
    await writeFile(longPath, JSON.stringify(tinyRunConfig(dataRoot, { name: "long_source" }, { epochs: 3 })));
    const stop = sittingStop({ afterEpoch: 1 });
    const stopped = await runExperiment(parseRunConfig(tinyRunConfig(dataRoot, { name: "long_source" }, { epochs: 3 })), {
      ...ctx, signal: stop.signal, callbacks: [stop.callback],
    });
    const fromStopped = await estimateTrainingTime(parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: longPath })), ctx, { steps: 1, clock: ticking() });
    expect(fromStopped.notIncluded).toEqual([
      `${longPath} has no completed run yet: its run ${stopped.run.id}, stopped after epoch 1 of 3, goes on first ` +
      `(its 2 epoch(s) left; estimate a whole run of it: deno task fer run ${longPath} --estimate)`,
    ]);
  });

  it("estimates the sources a run trains first when asked (fer run --estimate): from where a stopped one stands, in training order", async () => {
    const ctx = await loggingRunContext();
    const folder = await mkdtemp(join(tmpdir(), "fer-estimate-sources-"));
    // A teacher config of 3 epochs whose run stopped after epoch 1, itself started from a source config of 2 epochs.
    const basePath = join(folder, "base.json");
    await writeFile(basePath, JSON.stringify(tinyRunConfig(dataRoot, { name: "base" }, { epochs: 2 })));
    const teacherPath = join(folder, "teacher.json");
    const teacher = tinyRunConfig(dataRoot, { name: "teacher" }, { epochs: 3, initFrom: basePath });
    await writeFile(teacherPath, JSON.stringify(teacher));
    await runExperiment(parseRunConfig(tinyRunConfig(dataRoot, { name: "base" }, { epochs: 2 })), ctx);
    const stop = sittingStop({ afterEpoch: 1 });
    const stopped = await runExperiment(parseRunConfig(teacher), { ...ctx, signal: stop.signal, callbacks: [stop.callback] });
    // The base has a completed run, so it is not estimated; the teacher goes on from its stopped run.
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { epochs: 4, distill: { teachers: [teacherPath], weight: 0.5, temperature: 2 } }));
    const plain = await estimateTrainingTime(config, ctx, { steps: 1, clock: ticking() });
    expect(plain.sources).toEqual([]);
    expect(plain.notIncluded[0]).toContain(`${teacherPath} has no completed run yet: its run ${stopped.run.id}, stopped after epoch 1 of 3, goes on first`);
    // Its pass cannot be timed: it has no model to time, and no estimate of its own here.
    expect(plain.notIncluded[1]).toBe(`the pass of teacher(s) ${teacherPath} over the 40 training images (no completed run to time; cached for later runs)`);
    expect(plain.teacherPass).toEqual({ parts: [], seconds: 0 });

    const estimate = await estimateTrainingTime(config, ctx, { steps: 1, clock: ticking(), sources: true });
    expect(estimate.notIncluded).toEqual([]);
    const [source] = estimate.sources;
    // Estimated with it, its pass is priced at the inference rate its own estimate measured: 40 images, one view.
    expect(estimate.teacherPass).toEqual({
      parts: [{ reference: teacherPath, views: 1, how: "estimated", seconds: 40 / source.estimate.inferenceImagesPerSecond }],
      seconds: 40 / source.estimate.inferenceImagesPerSecond,
    });
    expect(estimate.totalSeconds).toBeCloseTo(estimate.trainingSeconds + estimate.evaluationSeconds + estimate.teacherPass!.seconds, 9);
    expect(source).toMatchObject({ reference: teacherPath, resumes: { runId: stopped.run.id, epochsDone: 1 } });
    expect(source.estimate.sources).toEqual([]);
    const teacherEpoch = source.estimate.trainSecondsPerEpoch + source.estimate.validationSecondsPerEpoch;
    expect(source.seconds).toBeCloseTo(2 * teacherEpoch + source.estimate.evaluationSeconds, 9);
    const ownEpoch = estimate.trainSecondsPerEpoch + estimate.validationSecondsPerEpoch;
    // After a stop each scores its kept weights over its views (one here) on validation.
    expect(trainingsInOrder(estimate)).toEqual([
      { epochs: 2, epochSeconds: teacherEpoch, scoringSeconds: source.estimate.validationSecondsPerEpoch },
      { epochs: 4, epochSeconds: ownEpoch, scoringSeconds: estimate.validationSecondsPerEpoch },
    ]);
    const lines = estimateLines(estimate);
    expect(lines[0]).toBe(`Source ${teacherPath}: no completed run yet, trained first`);
    expect(lines).toContain(
      `  its run ${stopped.run.id} stopped after epoch 1 of 3 with its checkpoint and goes on from there: ` +
        `about ${formatSeconds(source.seconds)} for the 2 epoch(s) left and the final scoring`,
    );
    expect(lines).toContain(`Estimated time here with the sources trained first: ${formatSeconds(estimate.totalSeconds + source.seconds)}`);

    // A source whose run is not there yet is estimated with its own source, which it trains first.
    const freshPath = join(folder, "fresh_teacher.json");
    await writeFile(freshPath, JSON.stringify(tinyRunConfig(dataRoot, { name: "fresh_teacher" }, { epochs: 2, initFrom: join(folder, "base2.json") })));
    await writeFile(join(folder, "base2.json"), JSON.stringify(tinyRunConfig(dataRoot, { name: "base2" }, { epochs: 5 })));
    const nested = await estimateTrainingTime(parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: freshPath })), ctx, { steps: 1, clock: ticking(), sources: true });
    expect(nested.sources.map((s) => [s.reference, s.estimate.sources.map((t) => t.reference)])).toEqual([[freshPath, [join(folder, "base2.json")]]]);
    expect(trainingsInOrder(nested).map((t) => t.epochs)).toEqual([5, 2, 1]);
    // Named twice (initFrom and a teacher), a source is trained once, so it is counted once.
    const twice = parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: freshPath, distill: { teachers: [freshPath], weight: 0.5, temperature: 2 } }));
    expect(trainingsInOrder(await estimateTrainingTime(twice, ctx, { steps: 1, clock: ticking(), sources: true })).map((t) => t.epochs)).toEqual([5, 2, 1]);
    // A source that leads back to a config it is a source of is refused, as the run would refuse it.
    const loopA = join(folder, "loop_a.json"), loopB = join(folder, "loop_b.json");
    await writeFile(loopA, JSON.stringify(tinyRunConfig(dataRoot, { name: "loop_a" }, { initFrom: loopB })));
    await writeFile(loopB, JSON.stringify(tinyRunConfig(dataRoot, { name: "loop_b" }, { initFrom: loopA })));
    await expect(estimateTrainingTime(parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: loopA })), ctx, { steps: 1, clock: ticking(), sources: true }))
      .rejects.toThrow(/leads back to a config it is a source of/);
  });

  it("times the teachers' pass before the first epoch: a finished teacher over its views on a sample, nothing for scores in the cache", async () => {
    const ctx = { ...await loggingRunContext(), cacheDir: await mkdtemp(join(tmpdir(), "fer-estimate-teachers-")) };
    const teacher = await runExperiment(parseRunConfig(tinyRunConfig(dataRoot, { name: "finished_teacher", tta: { horizontalFlip: true } })), ctx);
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { distill: { teachers: [teacher.run.id], weight: 0.5, temperature: 1 } }));
    // The ticking clock reads one second for the timed predictions: all 40 training images (under the sample's 256).
    const before = await estimateTrainingTime(config, ctx, { steps: 1, clock: ticking() });
    expect(before.teacherPass).toEqual({ parts: [{ reference: teacher.run.id, views: 2, how: "timed", seconds: 1 }], seconds: 1 });
    expect(before.totalSeconds).toBeCloseTo(before.trainingSeconds + before.evaluationSeconds + 1, 9);
    expect(before.notIncluded).toEqual([]);
    expect(estimateLines(before)).toContain(
      `  teachers' pass over 40 training images, before the first epoch (once; cached for later runs): 1s (${teacher.run.id} 2 view(s) 1s)`,
    );

    // The run's own pass stores the teacher's scores; the next estimate finds them and prices the pass at nothing.
    await runExperiment(config, ctx);
    const after = await estimateTrainingTime(config, ctx, { steps: 1, clock: ticking() });
    expect(after.teacherPass).toEqual({ parts: [{ reference: teacher.run.id, views: 2, how: "cached", seconds: 0 }], seconds: 0 });
    expect(after.totalSeconds).toBeCloseTo(after.trainingSeconds + after.evaluationSeconds, 9);
  });

  it("measures how many cores other work keeps busy, between 0 and the cores", async () => {
    const cpu = await cpuLoadNow(100);
    expect(cpu.cores).toBeGreaterThan(0);
    expect(cpu.load).toBeGreaterThanOrEqual(0);
    expect(cpu.load).toBeLessThanOrEqual(cpu.cores * 1.01);
  });

  it("refuses what the run would refuse: a class with no image in a split", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, { dataset: { root: dataRoot, size: 24, classes: ["happy", "sad", "surprise", "neutral", "angry"] } }));
    await expect(estimateTrainingTime(config, ctx)).rejects.toThrow(/angry/);
  });

  it("refuses a transfer config and steps that are not whole numbers above 0", async () => {
    const ctx = await loggingRunContext();
    const transfer = parseRunConfig({ ...tinyRunConfig(dataRoot), model: { family: "transfer", backbone: "human_emotion" } });
    await expect(estimateTrainingTime(transfer, ctx)).rejects.toThrow(/transfer model.*--epochs 1/);
    await expect(estimateTrainingTime(parseRunConfig(tinyRunConfig(dataRoot)), ctx, { steps: 0 })).rejects.toThrow(/steps 0 is not a whole number above 0/);
  });
});

describe("estimateEnsemble", () => {
  it("estimates the sources a member trains first, and counts a source or member trained for an earlier member once", async () => {
    const ctx = await loggingRunContext();
    const folder = await mkdtemp(join(tmpdir(), "fer-estimate-members-"));
    const sourcePath = join(folder, "source.json");
    await writeFile(sourcePath, JSON.stringify(tinyRunConfig(dataRoot, { name: "source" }, { epochs: 2 })));
    const studentPath = join(folder, "student.json");
    await writeFile(studentPath, JSON.stringify(tinyRunConfig(dataRoot, { name: "student" }, { epochs: 4, initFrom: sourcePath })));
    const ensemble = (members: string[]) => parseEnsembleConfig({ kind: "ensemble", name: "e", members: members.map((config) => ({ config })), combiner: "soft_vote" });

    // The student first: it trains the source first; the source as member 1 is then there, trained for member 0.
    const studentFirst = await estimateEnsemble(ensemble([studentPath, sourcePath]), ctx, { steps: 1, clock: ticking() });
    const [student, sourceMember] = studentFirst.members;
    if (student.how !== "to train") throw new Error(`member 0 is ${student.how}`);
    expect(student.estimate.sources.map((s) => s.reference)).toEqual([sourcePath]);
    expect(sourceMember).toEqual({ index: 1, name: "source", how: "trained before" });
    expect(studentFirst.trainingSeconds).toBeCloseTo(student.seconds + student.estimate.sources[0].seconds, 9);
    const lines = ensembleEstimateLines(studentFirst);
    expect(lines).toContain("Member 1 (source): the same experiment as an earlier member or one of its sources, trained for it and counted there");
    expect(lines).toContain(`  Source ${sourcePath}: no completed run yet, trained first`);

    // The source first: the student's source is the run member 0 trains, so it is named and not counted again.
    const sourceFirst = await estimateEnsemble(ensemble([sourcePath, studentPath]), ctx, { steps: 1, clock: ticking() });
    const [first, second] = sourceFirst.members;
    if (first.how !== "to train" || second.how !== "to train") throw new Error("both members are to train");
    expect(second.estimate.sources).toEqual([]);
    expect(second.estimate.notIncluded).toContain(`${sourcePath} again (trained once, counted above)`);
    expect(sourceFirst.trainingSeconds).toBeCloseTo(first.seconds + second.seconds, 9);
  });
});

describe("estimateEnsemble's scoring of the members", () => {
  it("times a member with a run through the code that scores it, prices one to train at its estimate's rate, and counts cached members as nothing", async () => {
    const ctx = { ...(await loggingRunContext()), cacheDir: await mkdtemp(join(tmpdir(), "fer-estimate-cache-")) };
    const trained = parseRunConfig(tinyRunConfig(dataRoot, { name: "trained" }));
    const { run } = await runExperiment(trained, ctx);
    const flip = { horizontalFlip: true, shifts: [], crops: null };
    const config = parseEnsembleConfig({
      kind: "ensemble",
      name: "e",
      members: [{ run: run.id }, { config: tinyRunConfig(dataRoot, { name: "later", seed: 9 }), tta: null }],
      combiner: "soft_vote",
      tta: flip,
    });
    const first = await estimateEnsemble(config, ctx, { steps: 1, clock: ticking() });
    const [withRun, toTrain] = first.members;
    if (withRun.how !== "run" || toTrain.how !== "to train") throw new Error(`members are ${withRun.how} and ${toTrain.how}`);
    // 20 validation and 12 test images over the ensemble's two views; each split timed in one second of the ticking clock.
    expect(withRun.scoring).toEqual({ images: 32, views: 2, how: "timed", seconds: 2 });
    // Its own tta (none): one view, at the inference rate its training estimate measured.
    expect(toTrain.scoring).toMatchObject({ images: 32, views: 1, how: "estimated" });
    expect(toTrain.scoring.seconds).toBeCloseTo(32 / toTrain.estimate.inferenceImagesPerSecond, 9);
    expect(first.scoringSeconds).toBeCloseTo(2 + toTrain.scoring.seconds, 9);
    expect(ensembleEstimateLines(first)).toContain("  scoring 32 images x 2 view(s): about 2s (its model timed here on a sample)");

    // On its own backend and views, a member to train costs nothing more to score: its run keeps its scores in the
    // cache as it finishes. Made, the ensemble reads them there, as its estimate said.
    const own = parseEnsembleConfig({
      kind: "ensemble",
      name: "own",
      backend: "cpu",
      members: [{ config: tinyRunConfig(dataRoot, { name: "kept", seed: 10 }) }],
      combiner: "soft_vote",
      tta: null,
    });
    const before = await estimateEnsemble(own, ctx, { steps: 1, clock: ticking() });
    expect(before.members[0]).toMatchObject({ how: "to train", scoring: { images: 32, views: 1, how: "by its run", seconds: 0 } });
    expect(before.scoringSeconds).toBe(0);
    expect(ensembleEstimateLines(before)).toContain(
      "  scoring 32 images x 1 view(s): nothing more (its run scores them as it finishes and keeps them in the score cache)",
    );
    expect(ensembleEstimateLines(before).find((line) => line.startsWith("Estimated ensemble time here:"))).toContain("(1 of 1 read from the score cache)");
    await runEnsemble(own, ctx);
    expect(ctx.logs).toContain(`Member 0 (kept): 32 images over 1 view(s), scores read from the cache`);
    const after = await estimateEnsemble(own, ctx, { steps: 1, clock: ticking() });
    expect(after.members[0]).toMatchObject({ how: "reused", scoring: { how: "cached", seconds: 0 } });
    // Without a cache there is nowhere to keep them: priced at the rate.
    const other = parseEnsembleConfig({ kind: "ensemble", name: "other", backend: "cpu", members: [{ config: tinyRunConfig(dataRoot, { name: "new", seed: 11 }) }] });
    const uncached = await estimateEnsemble(other, { ...ctx, cacheDir: null }, { steps: 1, clock: ticking() });
    expect(uncached.members[0]).toMatchObject({ how: "to train", scoring: { how: "estimated" } });

    // Once the ensemble of the run alone was made, its scores are in the cache: nothing to score, and the estimate says so.
    const alone = parseEnsembleConfig({ kind: "ensemble", name: "alone", members: [{ run: run.id }], combiner: "soft_vote", tta: flip });
    await runEnsemble(alone, ctx);
    const again = await estimateEnsemble(alone, ctx, { steps: 1, clock: ticking() });
    expect(again.members[0]).toMatchObject({ how: "run", scoring: { images: 32, views: 2, how: "cached", seconds: 0 } });
    expect(again.scoringSeconds).toBe(0);
    const lines = ensembleEstimateLines(again);
    expect(lines).toContain("  scoring 32 images x 2 view(s): read from the score cache, nothing to score");
    expect(lines.find((line) => line.startsWith("Estimated ensemble time here:"))).toContain("(1 of 1 read from the score cache)");
  });
});

describe("fer run --estimate", () => {
  it("prints the estimate and saves no run; estimates an ensemble's members still to train; refuses --steps without --estimate", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-estimate-cli-"));
    const configPath = join(dir, "tiny.json");
    await writeFile(configPath, JSON.stringify({ ...tinyRunConfig(dataRoot), model: TINY_MODEL }));
    const results = join(dir, "results");
    let out = "", err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: { FER_RESULTS: results, FER_CACHE: join(dir, "cache") } };
    expect(await main(["run", configPath, "--estimate", "--steps", "2", "--epochs", "4"], io)).toBe(0);
    expect(out).toMatch(/^Backend cpu \(float32\); batch 16; 1 training step\(s\) timed$/m);
    expect(out).toMatch(/^ {2}4 epoch\(s\): \S+$/m);
    expect(out).toMatch(/^Estimated run time here: \S+$/m);
    expect(existsSync(join(results, "runs"))).toBe(false);
    // With --time-budget: the sittings of that length it takes.
    out = "";
    expect(await main(["run", configPath, "--estimate", "--steps", "2", "--epochs", "4", "--time-budget", "10h"], io)).toBe(0);
    expect(out).toMatch(/^In sittings of 10h00m: about 1 sitting\(s\) \(it fits in one; /m);
    out = "";
    expect(await main(["run", configPath, "--estimate", "--steps", "2", "--epochs", "4", "--time-budget", "0.001s"], io)).toBe(0);
    expect(out).toMatch(/^In sittings of \S+: about 4 sitting\(s\) \(fer run --time-budget \S+, then fer resume <run-id> --time-budget \S+; /m);
    // A run with a source config it trains first: the source is estimated, and counted in the sittings (2 epochs + 4).
    const studentPath = join(dir, "student.json");
    const sourcePath = join(dir, "source_of_student.json");
    await writeFile(sourcePath, JSON.stringify({ ...tinyRunConfig(dataRoot, {}, { epochs: 2 }), name: "source_of_student", model: TINY_MODEL }));
    await writeFile(studentPath, JSON.stringify({ ...tinyRunConfig(dataRoot, {}, { epochs: 4, initFrom: sourcePath }), name: "student", model: TINY_MODEL }));
    out = "";
    expect(await main(["run", studentPath, "--estimate", "--steps", "2", "--time-budget", "0.001s"], io)).toBe(0);
    expect(out).toMatch(new RegExp(`^Source ${sourcePath.replaceAll("/", "\\/").replaceAll(".", "\\.")}: no completed run yet, trained first\n {2}Backend cpu`, "m"));
    expect(out).toMatch(/^Estimated time here with the sources trained first: \S+$/m);
    expect(out).toMatch(
      /^In sittings of \S+: about 6 sitting\(s\) \(each ends at an epoch's end; the same fer run --time-budget \S+ goes on while a source trains, then fer resume <run-id> --time-budget \S+ with the run; /m,
    );
    err = "";
    expect(await main(["run", configPath, "--estimate", "--until", "07:30"], io)).not.toBe(0);
    expect(err).toContain("--estimate trains nothing: leave them out (with --time-budget it plans sittings of that length)");

    // An ensemble: the members with no completed run are estimated, one with a run is not.
    expect(await main(["run", configPath, "--no-images"], io)).toBe(0);
    const ensemblePath = join(dir, "ensemble.json");
    const other = { ...tinyRunConfig(dataRoot), name: "tiny_seed8", seed: 8 };
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "e", members: [{ config: configPath }, { config: other }], combiner: "soft_vote" }));
    out = "";
    expect(await main(["run", ensemblePath, "--estimate", "--steps", "2"], io)).toBe(0);
    expect(out).toMatch(/^Member 0 \(tiny\): run \S+, an identical completed run, reused; nothing to train$/m);
    expect(out).toMatch(/^Member 1 \(tiny_seed8\): no completed run yet, trained first\n {2}Backend cpu \(float32\); batch 16/m);
    expect(out).toMatch(/^Member 0 \(tiny\): run \S+, an identical completed run, reused; nothing to train\n {2}scoring 32 images x 1 view\(s\): about \S+ \(its model timed here on a sample\)$/m);
    expect(out).toMatch(/^Estimated ensemble time here: \S+: \S+ to train the members that have no run .*, \S+ to score the members over their views on validation and test \(0 of 2 read from the score cache\)/m);
    // A member whose run stopped with its checkpoint: its epochs left are what it costs.
    const stoppablePath = join(dir, "stoppable.json");
    await writeFile(stoppablePath, JSON.stringify({ ...tinyRunConfig(dataRoot, {}, { epochs: 3 }), name: "stoppable", model: TINY_MODEL }));
    expect(await main(["run", stoppablePath, "--stop-after-epoch", "1", "--no-images"], io)).toBe(0);
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "e", members: [{ config: configPath }, { config: stoppablePath }], combiner: "soft_vote" }));
    out = "";
    expect(await main(["run", ensemblePath, "--estimate", "--steps", "2"], io)).toBe(0);
    expect(out).toMatch(/^ {2}its run \S+-stoppable-\S+ stopped after epoch 1 of 3 with its checkpoint and goes on from there: about \S+ for the 2 epoch\(s\) left and the final scoring$/m);
    // A member with a source config it trains first: the source's epochs count in the sittings too (2 epochs + 4).
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "e", members: [{ config: configPath }, { config: studentPath }], combiner: "soft_vote" }));
    out = "";
    expect(await main(["run", ensemblePath, "--estimate", "--steps", "2", "--time-budget", "0.001s"], io)).toBe(0);
    expect(out).toMatch(/^ {2}Source \S+source_of_student\.json: no completed run yet, trained first$/m);
    expect(out).toMatch(/^In sittings of \S+: about 6 sitting\(s\)/m);
    err = "";
    expect(await main(["run", configPath, "--steps", "5"], io)).not.toBe(0);
    expect(err).toContain("Option --steps goes with --estimate");
    err = "";
    expect(await main(["run", configPath, "--estimate", "--steps", "ten"], io)).not.toBe(0);
    expect(err).toContain('Option --steps is "ten"; pass a whole number of training steps >= 1, e.g. 30');
  });
});
