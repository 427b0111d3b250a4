import { describe, expect, it } from "vitest";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { estimateSweep, sweepEstimateLines, sweepSittings } from "../../src/sweep/estimate_sweep.ts";
import { expandTrials } from "../../src/sweep/expand_trials.ts";
import { parseSweepConfig } from "../../src/sweep/sweep_config.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import { TINY_MODEL } from "../experiment/experiment_fixtures.ts";

describe("estimateSweep", () => {
  it("estimates each setting once and multiplies it by its seeds' trials", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sweep-estimate-"));
    const dataRoot = join(dir, "four");
    await generateSyntheticDataset(dataRoot, { perClass: { train: 10, validation: 5, test: 3 }, size: 24, seed: 3 });
    const base = { name: "s", seed: 7, backend: "cpu", dataset: { root: dataRoot, size: 24 }, model: TINY_MODEL, training: { epochs: 1, batchSize: 8 } };
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "training.epochs": { grid: [1, 3] } }, seeds: [1, 2, 3] });
    let ms = 0;
    const logs: string[] = [];
    const estimate = await estimateSweep(expandTrials(sweep, base), { projectRoot: dir, resultsRoot: join(dir, "results"), cacheDir: null, log: (l) => logs.push(l) }, {
      steps: 2,
      clock: () => (ms += 1000),
      cpu: () => ({ load: 1.5, cores: 2 }),
    });
    expect(logs).toEqual(["Estimating t001 (training.epochs=1)", "Estimating t002 (training.epochs=3)"]);
    expect(estimate.settings.map((s) => [s.setting, s.trials, s.estimate.epochs])).toEqual([["t001", 3, 1], ["t002", 3, 3]]);
    // A clock moving a second a read: 8 images/s training (40 images: 5 s), 20 images/s inference (20: 1 s, 32 scored: 1.6 s).
    expect(estimate.settings.map((s) => s.estimate.totalSeconds)).toEqual([7.6, 19.6]);
    expect(estimate.serialSeconds).toBeCloseTo(3 * 7.6 + 3 * 19.6, 9);
    const lines = sweepEstimateLines(estimate);
    expect(lines[0]).toBe("  t001  training.epochs=1: 3 trial(s) x 8s (cpu float32, 8 training images/s, 1 epoch(s))");
    expect(lines.at(-2)).toMatch(/^Estimated sweep time here, one trial after another: 1m22s, plus each trial's start/);
    // The load read once, before the first setting (each timing raises it for the next), and said once.
    expect(lines.at(-1)).toMatch(/^ {2}the CPU was busy before timing \(1\.5 of 2 cores in use by other work\)/);
    expect(lines.filter((l) => l.includes("busy"))).toHaveLength(1);

    // Invocations of a time budget, trials in their running order (t001, t002 for seed 1, then seed 2, 3), each
    // epoch 6 s (5 s training, 1 s validation), and scoring the kept weights after a stop 1 s (one view over
    // validation): 12 epochs. A budget of 20 s holds 3 epochs (a fourth and the scoring would end at 25 s), so 4
    // invocations; 36 s holds 5 (a sixth and the scoring would end at 37 s; without the scoring it held 6), so 3;
    // 37 s holds 6, so 2; two hours hold all.
    expect(estimate.trialSettings).toEqual(["t001", "t002", "t001", "t002", "t001", "t002"]);
    expect(sweepSittings(estimate, 20)).toBe(4);
    expect(sweepSittings(estimate, 36)).toBe(3);
    expect(sweepSittings(estimate, 37)).toBe(2);
    expect(sweepSittings(estimate, 7200)).toBe(1);
    expect(sweepEstimateLines(estimate, 20)).toContain(
      "With --time-budget 20s: about 4 invocations, one trial after another (each ends at an epoch's end; " +
        "run the same fer sweep --time-budget 20s again to go on; each trial's start not counted)",
    );
    expect(sweepEstimateLines(estimate, 7200)).toContain("With --time-budget 2h00m: it fits in one invocation, one trial after another");
    expect(lines.some((l) => l.startsWith("With --time-budget"))).toBe(false);
  });
});

/** A scratch folder with 40 train, 20 validation and 12 test images, and the config fields its runs share. */
async function tinySweepProject(name: string) {
  const dir = await mkdtemp(join(tmpdir(), `fer-sweep-estimate-${name}-`));
  const dataRoot = join(dir, "four");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 10, validation: 5, test: 3 }, size: 24, seed: 3 });
  return { dir, common: { seed: 7, backend: "cpu", dataset: { root: dataRoot, size: 24 }, model: TINY_MODEL } };
}

describe("estimateSweep with a source config", () => {
  it("estimates a source the trials train first once, however many settings name it, and counts it first", async () => {
    const { dir, common } = await tinySweepProject("source");
    const sourcePath = join(dir, "source.json");
    await writeFile(sourcePath, JSON.stringify({ ...common, name: "source", training: { epochs: 2, batchSize: 8 } }));
    const base = { ...common, name: "s", training: { epochs: 1, batchSize: 8, initFrom: sourcePath } };
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "training.epochs": { grid: [1, 3] } }, seeds: [1, 2] });
    let ms = 0;
    const estimate = await estimateSweep(expandTrials(sweep, base), { projectRoot: dir, resultsRoot: join(dir, "results"), cacheDir: null }, {
      steps: 2,
      clock: () => (ms += 1000),
      cpu: () => ({ load: 0, cores: 2 }),
    });
    const [first, second] = estimate.settings;
    expect(first.estimate.sources.map((source) => source.reference)).toEqual([sourcePath]);
    expect(second.estimate.sources).toEqual([]);
    expect(second.estimate.notIncluded).toContain(`${sourcePath} again (trained once, counted above)`);
    // As the sweep above: 6 s an epoch, 7.6 s for one epoch and its scoring; the source's 2 epochs and scoring: 13.6 s.
    const source = first.estimate.sources[0];
    expect(source.seconds).toBeCloseTo(13.6, 9);
    expect(estimate.serialSeconds).toBeCloseTo(13.6 + 2 * 7.6 + 2 * 19.6, 9);
    // Sittings of one 6-second epoch: the source's 2, then the trials' 1 + 3 + 1 + 3.
    expect(sweepSittings(estimate, 6)).toBe(10);
    const lines = sweepEstimateLines(estimate);
    expect(lines[0]).toBe(`Source ${sourcePath}: no completed run yet, trained first, once for all the trials that name it`);
    expect(lines).toContain(`        not included: ${sourcePath} again (trained once, counted above)`);
    expect(lines.at(-1)).toMatch(/^Estimated sweep time here, the sources first, then one trial after another: 1m08s, /);
  });
});

describe("estimateSweep with distillation teachers", () => {
  it("counts the teachers' pass once for the trials that share its teachers and data (the first caches their scores)", async () => {
    const { dir, common } = await tinySweepProject("teachers");
    const resultsRoot = join(dir, "results");
    const teacher = await runExperiment(parseRunConfig({ ...common, name: "teacher", training: { epochs: 1, batchSize: 8 } }), {
      projectRoot: dir, resultsRoot, cacheDir: null, log: () => {}, write: () => {}, interactive: false,
    });
    const base = { ...common, name: "s", training: { epochs: 1, batchSize: 8, distill: { teachers: [teacher.run.id], weight: 0.5, temperature: 1 } } };
    const sweep = parseSweepConfig({ kind: "sweep", name: "s", base: "unused.json", parameters: { "training.distill.weight": { grid: [0.5, 0.8] } }, seeds: [1, 2] });
    let ms = 0;
    const estimate = await estimateSweep(expandTrials(sweep, base), { projectRoot: dir, resultsRoot, cacheDir: null }, {
      steps: 2,
      clock: () => (ms += 1000),
      cpu: () => ({ load: 0, cores: 2 }),
    });
    // Each setting: 7.6 s for its epoch and scoring, as the sweeps above, and the teacher timed at 1 s (the clock's read).
    expect(estimate.settings.map((s) => [s.estimate.teacherPass?.seconds, s.estimate.totalSeconds])).toEqual([[1, 8.6], [1, 8.6]]);
    // Four trials of 7.6 s, and one pass: the other three trials read the scores it cached.
    expect(estimate.serialSeconds).toBeCloseTo(4 * 7.6 + 1, 9);
  });
});

describe("fer sweep --estimate", () => {
  it("refuses --estimate with --dry-run, and --steps without --estimate, before anything runs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-sweep-estimate-cli-"));
    const sweepPath = join(dir, "sweep.json");
    await writeFile(sweepPath, JSON.stringify({ kind: "sweep", name: "s", base: { name: "s", model: TINY_MODEL }, seeds: [1] }));
    let err = "";
    const io = { out: () => {}, err: (t: string) => (err += t), env: { FER_RESULTS: join(dir, "results") } };
    expect(await main(["sweep", sweepPath, "--estimate", "--dry-run"], io)).not.toBe(0);
    expect(err).toContain("Options --estimate and --dry-run each run no trial; use one of them");
    err = "";
    expect(await main(["sweep", sweepPath, "--steps", "3"], io)).not.toBe(0);
    expect(err).toContain("Option --steps goes with --estimate");
    // A budget plans invocations of trials one after another: not for a clock time, nor for trials at once.
    err = "";
    expect(await main(["sweep", sweepPath, "--estimate", "--until", "23:59"], io)).not.toBe(0);
    expect(err).toContain("--until ends one invocation at a clock time; --estimate runs no trial: leave it out (--time-budget T plans invocations of T)");
    err = "";
    expect(await main(["sweep", sweepPath, "--estimate", "--time-budget", "8h", "--parallel", "2"], io)).not.toBe(0);
    expect(err).toContain("--estimate --time-budget plans invocations for trials one after another; trials at once (--parallel 2)");
    // Ray runs trials at once unless told otherwise: the refusal names its default, not a --parallel the user did not give.
    await writeFile(sweepPath, JSON.stringify({ kind: "sweep", name: "s", base: { name: "s", model: TINY_MODEL }, seeds: [1, 2] }));
    err = "";
    expect(await main(["sweep", sweepPath, "--estimate", "--time-budget", "8h", "--engine", "ray"], io)).not.toBe(0);
    expect(err).toContain("trials at once (Ray's default of 2 in flight) share cores or spread over nodes: leave out --time-budget, or give --parallel 1");
  });
});
