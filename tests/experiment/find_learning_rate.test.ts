import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import {
  findLearningRate,
  findLearningRates,
  learningRateComparisonFigure,
  learningRateComparisonLines,
  type LearningRateFinding,
  learningRateFigure,
  learningRateLines,
} from "../../src/experiment/find_learning_rate.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { lrRangeRate } from "../../src/train/lr_range_test.ts";
import { loggingRunContext, tinyRunConfig } from "./experiment_fixtures.ts";

let dataRoot = "";
beforeAll(async () => {
  dataRoot = join(await mkdtemp(join(tmpdir(), "fer-lr-find-data-")), "four");
  // 40 train, 20 validation and 12 test images.
  await generateSyntheticDataset(dataRoot, { perClass: { train: 10, validation: 5, test: 3 }, size: 24, seed: 3 });
});

describe("findLearningRate", () => {
  it("takes the steps at rising rates over more than one pass of a small split, and stops when the loss blows up", async () => {
    const ctx = await loggingRunContext();
    // 40 training images in batches of 16: 3 steps an epoch, so 12 steps take 4 epochs.
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { batchSize: 16, optimizer: { name: "sgd", learningRate: 0.01, momentum: 0.9 } }));
    const finding = await findLearningRate(config, ctx, { minLr: 1e-4, maxLr: 1e-1, steps: 12 });
    expect(finding).toMatchObject({
      config: "tiny",
      backend: { name: "cpu", precision: "float32" },
      optimizer: { name: "sgd", learningRate: 0.01 },
      batchSize: 16,
      steps: 12,
      ended: "completed",
      notIncluded: [],
    });
    expect(finding.points.map((point) => point.lr)).toEqual(
      Array.from({ length: 12 }, (_, step) => expect.closeTo(lrRangeRate(step, { minLr: 1e-4, maxLr: 1e-1, steps: 12 }), 15)),
    );
    expect(finding.points.every((point) => Number.isFinite(point.loss))).toBe(true);
    expect(ctx.logs).toContain("Range test: 12 steps of 16 images, the rate rising from 0.0001 to 0.1");
    // Rates far past any a net can take: the loss blows up and the test stops before its last step.
    const blown = await findLearningRate(config, ctx, { minLr: 1e-2, maxLr: 1e8, steps: 40 });
    expect(blown.ended).toBe("diverged");
    expect(blown.points.length).toBeLessThan(40);
    const lines = learningRateLines(blown);
    expect(lines[0]).toMatch(/^Range test of tiny \(cpu, float32; sgd, batch 16\): \d+ of 40 steps, stopped when the loss blew up$/);
    expect(lines.some((line) => line.startsWith("Lowest smoothed loss at "))).toBe(true);
  });

  it("says what of the config the test leaves out, and refuses a transfer config and a range that does not rise", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { initFrom: "some-run" }));
    expect((await findLearningRate(config, ctx, { steps: 3 })).notIncluded).toEqual(["training.initFrom (some-run): the test starts from a fresh net"]);
    await expect(findLearningRate(config, ctx, { minLr: 1, maxLr: 0.1 })).rejects.toThrow("The range test needs 0 < min rate < max rate; got 1 and 0.1");
    const transfer = parseRunConfig({ ...tinyRunConfig(dataRoot), model: { family: "transfer", backbone: "human_emotion" } });
    await expect(findLearningRate(transfer, ctx)).rejects.toThrow("the range test takes steps of a from-scratch family");
  });
});

describe("findLearningRates", () => {
  it("runs one test per L2 coefficient from the same weights and batches, reading the data's loss apart from the penalty", async () => {
    const ctx = await loggingRunContext();
    const config = parseRunConfig(tinyRunConfig(dataRoot, {}, { batchSize: 16 }));
    const [none, again, some] = await findLearningRates(config, ctx, { l2: [0, 0, 1e-2], minLr: 1e-4, maxLr: 1e-1, steps: 6 });
    expect([none.l2, again.l2, some.l2]).toEqual([0, 0, 1e-2]);
    // The same coefficient twice: the same curve to the last digit (seeded weights, batches and augmentation).
    expect(again.points).toEqual(none.points);
    expect(none.points.every((point) => point.penalty === 0)).toBe(true);
    // With L2 the penalty is read apart: positive at each step, and the first step's data loss is the same
    // (the weights and the batch are, and the penalty does not enter the forward pass).
    expect(some.points.every((point) => point.penalty > 0)).toBe(true);
    expect(some.points[0].loss).toBeCloseTo(none.points[0].loss, 5);
    expect(some.points[1].loss).not.toBe(none.points[1].loss);
    expect(ctx.logs).toContain("Range test with L2 0.01:");
    // One coefficient is the config's own test.
    expect((await findLearningRate(config, ctx, { minLr: 1e-4, maxLr: 1e-1, steps: 6 })).points).toEqual(none.points);
    await expect(findLearningRates(config, ctx, { l2: [] })).rejects.toThrow("The range test's L2 coefficients must be numbers of 0 or more");
    await expect(findLearningRates(config, ctx, { l2: [-1] })).rejects.toThrow("The range test's L2 coefficients must be numbers of 0 or more");
  });
});

/** A finding of hand-made points, for the readers of findings. */
function madeFinding(l2: number, losses: readonly number[], suggestion: Partial<LearningRateFinding["suggestion"]> = {}): LearningRateFinding {
  const points = losses.map((loss, step) => ({ step, lr: 10 ** (step - 5), loss, penalty: l2, smoothedLoss: loss }));
  return {
    config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2, batchSize: 8,
    minLr: 1e-5, maxLr: 1, steps: losses.length, points, ended: "completed",
    suggestion: { minimum: 0.01, lowestLoss: 1, minimumOverTen: 0.001, steepest: 0.001, valley: 1e-4, fall: 0.5, noCeiling: false, ...suggestion },
    notIncluded: [],
  };
}

describe("learningRateComparisonLines and learningRateComparisonFigure", () => {
  const findings = [
    madeFinding(0, [2, 1.9, 1.5, 1.1, 1.2, 3], { lowestLoss: 1.1, minimum: 0.01 }),
    madeFinding(1e-4, [2, 1.9, 1.4, 1.0, 1.05, 2], { lowestLoss: 1.0, minimum: 0.01, valley: 1e-3 }),
    madeFinding(1e-3, [2, 1.95, 1.8, 1.7, 1.6, 1.5], { lowestLoss: 1.5, minimum: 1, valley: 1e-2, steepest: null, noCeiling: true }),
  ];

  it("tabulate each test's lowest loss, its rate, valley and steepest fall, and name the lowest curve", () => {
    const lines = learningRateComparisonLines(findings);
    expect(lines.slice(0, 5)).toEqual([
      "Range tests of x (cpu, float32; adam, batch 8), one per L2 coefficient, the same initial weights and batches; the data's loss, the penalty left out",
      "  L2       lowest loss  at rate  valley   steepest ended",
      "  0             1.1000  1.0e-2   1.0e-4   1.0e-3   6/6 steps",
      "  0.0001        1.0000  1.0e-2   1.0e-3   1.0e-3   6/6 steps",
      "  0.001         1.5000  1.0e+0   1.0e-2   -        6/6 steps, no ceiling",
    ]);
    expect(lines[5]).toMatch(/^Lowest curve: L2 0\.0001 \(1\.0000 at 1\.0e-2\)\. /);
    expect(lines[6]).toMatch(/^ {2}no ceiling: /);
    expect(lines).toHaveLength(7);
    // A curve that hardly fell is named in its row and explained below.
    const flat = learningRateComparisonLines([findings[0], madeFinding(1e-2, [2, 1.99, 1.98, 1.97, 1.98, 2], { lowestLoss: 1.97, fall: 0.015 })]);
    expect(flat[3]).toMatch(/6\/6 steps, hardly learned$/);
    expect(flat.at(-1)).toBe(
      "  hardly learned: the loss fell less than 5% below where it started, so that curve says little; give it more --steps or a narrower range (--min-lr, --max-lr)",
    );
  });

  it("draw a smoothed curve per coefficient with its valley on it, over one loss axis", () => {
    const figure = learningRateComparisonFigure(findings);
    // Three curves, each followed by its valley marker.
    expect(figure.data.map((trace) => trace.name)).toEqual(["L2 0", "L2 0: valley", "L2 0.0001", "L2 0.0001: valley", "L2 0.001", "L2 0.001: valley"]);
    expect(figure.data[3]).toMatchObject({ x: [1e-3], y: [1.4] });
    expect(figure.data[0].line).not.toEqual(figure.data[2].line);
    // The axis spans all curves: 1.0 - 0.2 to 3 + 0.2 (six points: no first tenth to leave out).
    expect((figure.layout.yaxis as { range: number[] }).range.map((v) => Number(v.toFixed(9)))).toEqual([0.8, 3.2]);
    expect(figure.layout.shapes).toEqual([expect.objectContaining({ x0: 0.001 })]);
  });
});

describe("learningRateLines", () => {
  it("shows evenly spaced points with a bar for the loss, then the suggestions and the config's own rate", () => {
    const points = [2, 1.9, 1.5, 1.0, 1.2, 3].map((loss, step) => ({ step, lr: 10 ** (step - 5), loss, penalty: 0, smoothedLoss: loss }));
    const lines = learningRateLines({
      config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2: 0, batchSize: 8,
      minLr: 1e-5, maxLr: 1, steps: 6, points, ended: "completed",
      suggestion: { minimum: 0.01, lowestLoss: 1, minimumOverTen: 0.001, steepest: 0.001, valley: 1e-4, fall: 0.5, noCeiling: false }, notIncluded: ["training.distill: the test learns from the labels alone"],
    }, { rows: 3 });
    expect(lines).toEqual([
      "Range test of x (cpu, float32; adam, batch 8): 6 of 6 steps, every step taken",
      "  rate      smoothed loss",
      "  1.0e-5      2.0000  ###############",
      "  1.0e-2      1.0000  ",
      "  1.0e+0      3.0000  ##############################",
      "Lowest smoothed loss at 1.0e-2; suggested peak rate (lowest / 10): 1.0e-3; valley (halfway along the longest fall) at 1.0e-4; steepest fall at 1.0e-3",
      "The config's rate: 0.001. The peak of a cosine or one_cycle schedule is training.optimizer.learningRate; a rate from this curve is a starting point, to be measured on validation",
      "  not included: training.distill: the test learns from the labels alone",
    ]);
  });
  it("says when the loss hardly fell, so the suggestion says little", () => {
    const points = [1.39, 1.38, 1.37].map((loss, step) => ({ step, lr: 10 ** (step - 3), loss, penalty: 0, smoothedLoss: loss }));
    const lines = learningRateLines({
      config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2: 0, batchSize: 8,
      minLr: 1e-3, maxLr: 0.1, steps: 3, points, ended: "completed",
      suggestion: { minimum: 0.1, lowestLoss: 1, minimumOverTen: 0.01, steepest: 0.1, valley: 0.01, fall: 0.0144, noCeiling: false }, notIncluded: [],
    });
    expect(lines.at(-1)).toBe(
      "  the loss fell only 1.4% below where it started: the net hardly learned in these steps, so the suggestion says little; " +
        "give it more --steps or a narrower range (--min-lr, --max-lr)",
    );
    const topped = learningRateLines({
      config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2: 0, batchSize: 8,
      minLr: 1e-3, maxLr: 0.1, steps: 3, points, ended: "completed",
      suggestion: { minimum: 0.1, lowestLoss: 1, minimumOverTen: 0.01, steepest: 0.1, valley: 0.01, fall: 0.2, noCeiling: true }, notIncluded: [],
    });
    expect(topped.at(-1)).toMatch(/^ {2}the loss was lowest at the top of the range: the test found no rate too large, so these are not peak rates /);
  });
});

describe("learningRateFigure", () => {
  it("draws the batch and smoothed losses by rate on a log axis, marks the suggestions on the curve and the config's rate", () => {
    const points = [2, 1.9, 1.5, 1.0, 1.2, 9].map((loss, step) => ({ step, lr: 10 ** (step - 5), loss: loss + 0.1, penalty: 0, smoothedLoss: loss }));
    const figure = learningRateFigure({
      config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2: 0, batchSize: 8,
      minLr: 1e-5, maxLr: 1, steps: 6, points, ended: "completed",
      suggestion: { minimum: 0.1, lowestLoss: 1, minimumOverTen: 0.01, steepest: 0.001, valley: null, fall: 0.5, noCeiling: false }, notIncluded: [],
    });
    const [batch, smoothed, marks] = figure.data;
    expect(batch.y).toEqual([2.1, 2, 1.6, 1.1, 1.3, 9.1]);
    expect(smoothed.y).toEqual([2, 1.9, 1.5, 1.0, 1.2, 9]);
    expect(figure.layout.xaxis).toMatchObject({ type: "log" });
    // No valley: two marks, each on the smoothed curve at its rate.
    expect(marks.x).toEqual([0.01, 0.001]);
    expect(marks.y).toEqual([1.0, 1.5]);
    expect(marks.text).toEqual(["lowest / 10 1.0e-2", "steepest 1.0e-3"]);
    // Shapes take rates on a log axis as they are; annotations take their log10.
    expect(figure.layout.shapes).toEqual([expect.objectContaining({ x0: 0.001, x1: 0.001 })]);
    expect(figure.layout.annotations).toEqual([expect.objectContaining({ x: -3, text: "config's rate 1.0e-3" })]);
    // The loss axis spans the smoothed curve with a tenth of a margin: 1.0 - 0.8 to 9 + 0.8.
    expect((figure.layout.yaxis as { range: number[] }).range.map((v) => Number(v.toFixed(9)))).toEqual([0.2, 9.8]);
  });

  it("spans the loss axis over the curve after its first tenth, where the suggestions are read", () => {
    // Twenty steps: the first two (a tenth) carry the young average of a high first batch, 9 and 5; the rest fall 2 -> 1.05.
    const losses = [9, 5, ...Array.from({ length: 18 }, (_, i) => 2 - i * (0.95 / 17))];
    const points = losses.map((loss, step) => ({ step, lr: 10 ** (step / 4 - 5), loss, penalty: 0, smoothedLoss: loss }));
    const figure = learningRateFigure({
      config: "x", backend: { name: "cpu", precision: "float32" }, optimizer: { name: "adam", learningRate: 0.001 }, l2: 0, batchSize: 8,
      minLr: 1e-5, maxLr: 1, steps: 20, points, ended: "completed",
      suggestion: { minimum: 1, lowestLoss: 1, minimumOverTen: 0.1, steepest: null, valley: null, fall: 0.5, noCeiling: true }, notIncluded: [],
    });
    // 1.05 - 0.095 to 2 + 0.095: the first two points are drawn (the smoothed trace keeps them) but do not set the axis.
    expect((figure.layout.yaxis as { range: number[] }).range.map((v) => Number(v.toFixed(9)))).toEqual([0.955, 2.095]);
    expect(figure.data[1].y).toHaveLength(20);
  });
});

describe("fer run --lr-find", () => {
  it("prints the range test and saves no run; refuses its flags without it, with --estimate, or on an ensemble", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-lr-find-cli-"));
    const configPath = join(dir, "tiny.json");
    await writeFile(configPath, JSON.stringify(tinyRunConfig(dataRoot)));
    const results = join(dir, "results");
    let out = "", err = "";
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t), env: { FER_RESULTS: results, FER_CACHE: join(dir, "cache") } };
    expect(await main(["run", configPath, "--lr-find", "--steps", "6", "--min-lr", "1e-4", "--max-lr", "0.1"], io)).toBe(0);
    expect(out).toMatch(/^Range test of tiny \(cpu, float32; adam, batch 16\): 6 of 6 steps, every step taken$/m);
    expect(out).toMatch(/^ {2}1\.0e-4 /m);
    expect(out).toMatch(/^ {2}1\.0e-1 /m);
    expect(existsSync(join(results, "runs"))).toBe(false);
    const curve = join(dir, "curve");
    expect(await main(["run", configPath, "--lr-find", "--steps", "4", "--out", curve], io)).toBe(0);
    expect(out).toContain(`Curve written: ${join(curve, "lr_find.csv")}, ${join(curve, "lr_find.html")}`);
    const rows = (await readFile(join(curve, "lr_find.csv"), "utf8")).trim().split("\n");
    expect(rows[0]).toBe("l2,step,lr,loss,penalty,smoothed_loss");
    expect(rows.slice(1).map((row) => row.split(",").slice(0, 2).map(Number))).toEqual([[0, 0], [0, 1], [0, 2], [0, 3]]);
    expect(await readFile(join(curve, "lr_find.html"), "utf8")).toContain("learning-rate range test");
    // --l2: a test per coefficient, side by side, in the terminal, the CSV and the figure.
    const compared = join(dir, "compared");
    expect(await main(["run", configPath, "--lr-find", "--steps", "3", "--l2", "0,1e-3", "--out", compared], io)).toBe(0);
    expect(out).toMatch(/^Range tests of tiny \(cpu, float32; adam, batch 16\), one per L2 coefficient/m);
    expect(out).toMatch(/^ {2}0\.001 +\d\.\d{4} /m);
    expect(out).toMatch(/^Lowest curve: L2 (0|0\.001) /m);
    const comparedRows = (await readFile(join(compared, "lr_find.csv"), "utf8")).trim().split("\n").slice(1);
    expect(comparedRows.map((row) => row.split(",")[0])).toEqual(["0", "0", "0", "0.001", "0.001", "0.001"]);
    expect(comparedRows.slice(3).every((row) => Number(row.split(",")[4]) > 0)).toBe(true);
    expect(await readFile(join(compared, "lr_find.html"), "utf8")).toContain("range tests compared");
    expect(await main(["run", configPath, "--l2", "0,1e-4"], io)).toBe(1);
    expect(err).toContain("Option --l2 goes with --lr-find");
    expect(await main(["run", configPath, "--lr-find", "--l2", "0,,1e-4"], io)).toBe(1);
    expect(err).toContain('Option --l2 is "0,,1e-4"; pass L2 coefficients of 0 or more, comma-separated');
    expect(await main(["run", configPath, "--lr-find", "--l2", "-1e-4"], io)).toBe(1);
    expect(existsSync(join(results, "runs"))).toBe(false);
    expect(await main(["run", configPath, "--out", curve], io)).toBe(1);
    expect(err).toContain("Option --out goes with --lr-find");
    // A folder that cannot be made is refused before any step is taken.
    const testsPrinted = out.split("Range test of").length;
    expect(await main(["run", configPath, "--lr-find", "--out", join(curve, "lr_find.csv", "sub")], io)).toBe(1);
    expect(err).toContain("a file stands at that path or on the way to it");
    expect(out.split("Range test of").length).toBe(testsPrinted);
    expect(await main(["run", configPath, "--max-lr", "0.1"], io)).toBe(1);
    expect(err).toContain("Option --max-lr goes with --lr-find");
    expect(await main(["run", configPath, "--lr-find", "--min-lr", "zero"], io)).toBe(1);
    expect(err).toContain('Option --min-lr is "zero"; pass a positive rate, e.g. 1e-5');
    expect(await main(["run", configPath, "--lr-find", "--estimate"], io)).toBe(1);
    expect(err).toContain("--lr-find and --estimate are two different dry runs");
    expect(await main(["run", configPath, "--lr-find", "--time-budget", "1h"], io)).toBe(1);
    expect(err).toContain("--lr-find trains nothing to keep");
    const ensemblePath = join(dir, "pair.json");
    await writeFile(ensemblePath, JSON.stringify({ kind: "ensemble", name: "pair", members: [{ config: configPath }, { run: "some-run" }], combiner: "soft_vote" }));
    expect(await main(["run", ensemblePath, "--lr-find"], io)).toBe(1);
    expect(err).toContain("--lr-find takes steps of one net");
  });
});
