/**
 * The learning-rate range test of a run config: a fresh net of the config
 * takes steps on its training images (its backend, precision, augmentation,
 * batch size, optimizer and loss) at rates rising from `minLr` to `maxLr`, and
 * the loss is read at each rate. Nothing is saved (the decoded dataset goes to
 * the cache, as a run would put it there).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { Callback } from "../train/callback.ts";
import { fit } from "../train/fit.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { checkLrRange, type LrRangePoint, LrRangeTest, type LrSuggestion, suggestLearningRate } from "../train/lr_range_test.ts";
import { configTrainingData, type ConfigTrainingData } from "./config_training_data.ts";
import { trainingFitOptions } from "./fit_stage.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { buildConfigModel } from "./run_experiment.ts";
import type { Figure } from "../viz/figures.ts";
import { lrRangeComparisonFigure, lrRangeFigure } from "../viz/lr_range_figure.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";

/** Options of {@linkcode findLearningRate}. */
export interface FindLearningRateOptions {
  /** Rate of the first step. @default 1e-7 */
  minLr?: number;
  /** Rate of the last step. @default 1 */
  maxLr?: number;
  /** Steps from minLr to maxLr. @default 100 */
  steps?: number;
}

/** Options of {@linkcode findLearningRates}. */
export interface FindLearningRatesOptions extends FindLearningRateOptions {
  /** The L2 coefficients (training.l2) to run the test with, one test each, in this order. */
  l2: readonly number[];
}

/** What {@linkcode findLearningRate} measured. */
export interface LearningRateFinding {
  config: string;
  /** The backend and precision the steps ran on. */
  backend: { name: string; precision: string };
  /** The optimizer's name and the config's own rate (the peak of its schedule). */
  optimizer: { name: string; learningRate: number };
  /** The L2 coefficient on the kernels the steps were taken with (the config's training.l2, or one compared). */
  l2: number;
  batchSize: number;
  minLr: number;
  maxLr: number;
  /** Steps asked for. */
  steps: number;
  /** One per step taken. */
  points: LrRangePoint[];
  /** "completed": every step taken; "diverged": stopped when the smoothed loss passed four times its lowest. */
  ended: "completed" | "diverged";
  suggestion: LrSuggestion;
  /** What the test does not reproduce of the config's training, in words (a distillation's targets, initFrom). */
  notIncluded: string[];
}

/**
 * Runs the range test on a config's model and training images.
 *
 * The net starts from the config's seeded initialisation (not `initFrom`'s
 * weights) and learns from the labels alone (not a distillation's teachers);
 * the schedule is replaced by the rising rates, and the optimizer keeps its own
 * momentum. Batches come in the order of a run's first epochs.
 *
 * @param config A run config of a from-scratch family.
 * @param paths Paths, and where to log and draw progress.
 * @param options See {@linkcode FindLearningRateOptions}.
 * @returns The points and the suggested rates.
 * @throws {ConfigError} For a transfer config or a bad range.
 * @throws {DatasetError} When the dataset cannot be loaded, or a class has no image in a split.
 * @example
 * ```ts
 * const finding = await findLearningRate(await readRunConfig("experiments/best_fer2013.json"), ctx);
 * console.log(finding.suggestion.minimumOverTen);
 * ```
 */
export async function findLearningRate(
  config: RunConfig,
  paths: Pick<RunContext, "projectRoot" | "cacheDir"> & Partial<Pick<RunContext, "log" | "write" | "interactive">>,
  options: FindLearningRateOptions = {},
): Promise<LearningRateFinding> {
  const [finding] = await findLearningRates(config, paths, { ...options, l2: [config.training.l2] });
  return finding;
}

/**
 * The range test once for each of several L2 coefficients, the rest of the
 * config as it is: the same initial weights, the same batches in the same
 * order, each test from a fresh net and optimizer. Smith (2018, "A disciplined
 * approach to neural network hyper-parameters") reads weight decay so: the
 * coefficient whose curve falls lowest, or stays low to the largest rates, is
 * the one to try first. The points' losses leave the penalty out (it grows
 * with the coefficient), so the curves compare on the data's loss.
 *
 * @param config A run config of a from-scratch family.
 * @param paths Paths, and where to log and draw progress.
 * @param options The range, and `l2`: the coefficients, at least one, each 0 or more.
 * @returns One finding per coefficient, in their order.
 * @throws {ConfigError} For a transfer config, a bad range or a bad coefficient.
 * @throws {DatasetError} When the dataset cannot be loaded, or a class has no image in a split.
 * @example
 * ```ts
 * const findings = await findLearningRates(config, ctx, { l2: [0, 1e-4, 1e-3], steps: 200 });
 * for (const f of findings) console.log(f.l2, f.suggestion.valley);
 * ```
 */
export async function findLearningRates(
  config: RunConfig,
  paths: Pick<RunContext, "projectRoot" | "cacheDir"> & Partial<Pick<RunContext, "log" | "write" | "interactive">>,
  options: FindLearningRatesOptions,
): Promise<LearningRateFinding[]> {
  const ctx = { log: () => {}, write: () => {}, interactive: false, ...paths };
  if (config.model.family === "transfer") {
    throw new ConfigError(
      `Config ${config.name} trains a transfer model's head on cached backbone features: the range test takes steps of a from-scratch ` +
        "family (small_cnn, vgg_like, ...); try a few rates with fer sweep instead",
    );
  }
  if (options.l2.length === 0 || !options.l2.every((l2) => Number.isFinite(l2) && l2 >= 0)) {
    throw new ConfigError(`The range test's L2 coefficients must be numbers of 0 or more, at least one; got ${JSON.stringify(options.l2)}`);
  }
  const minLr = options.minLr ?? 1e-7;
  const maxLr = options.maxLr ?? 1;
  const steps = options.steps ?? 100;
  checkLrRange({ minLr, maxLr, steps });
  const { backend, rng, splits } = await configTrainingData(config, ctx);
  // Each test starts from the generator's state here, so each sees the same batches, augmented alike.
  const start = rng.stateDict();
  const findings: LearningRateFinding[] = [];
  for (const l2 of options.l2) {
    rng.loadStateDict(start);
    const tested: RunConfig = { ...config, training: { ...config.training, l2 } };
    if (options.l2.length > 1) ctx.log(`Range test with L2 ${l2}:`);
    const test = await rangeTest(tested, { rng, splits }, { minLr, maxLr, steps }, ctx);
    findings.push({
      config: config.name,
      backend: { name: backend.name, precision: backend.precision.used },
      optimizer: { name: config.training.optimizer.name, learningRate: config.training.optimizer.learningRate },
      l2,
      batchSize: config.training.batchSize,
      minLr,
      maxLr,
      steps,
      points: test.points,
      ended: test.ended ?? "completed",
      suggestion: suggestLearningRate(test.points),
      notIncluded: notIncluded(config),
    });
  }
  return findings;
}

/** One range test of `config` on the loaded splits: a fresh net and optimizer, the rates rising step by step. */
async function rangeTest(
  config: RunConfig,
  { rng, splits }: Pick<ConfigTrainingData, "rng" | "splits">,
  range: { minLr: number; maxLr: number; steps: number },
  ctx: { log: (line: string) => void; write: (text: string) => void; interactive: boolean },
): Promise<LrRangeTest> {
  const abort = new AbortController();
  const test = new LrRangeTest(range, () => abort.abort());
  const numClasses = config.dataset.classes.length;
  const batchSize = config.training.batchSize;
  const stepsPerEpoch = Math.ceil(splits.train.count / batchSize);
  const callbacks = ctx.interactive ? [test, new StepProgress(test, ctx.write)] : [test];
  let model: tf.LayersModel | undefined;
  const optimizer = makeOptimizer(config.training.optimizer);
  try {
    model = buildConfigModel(config);
    const train = imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation });
    ctx.log(`Range test: ${range.steps} steps of ${batchSize} images, the rate rising from ${range.minLr} to ${range.maxLr}`);
    await fit(model, { train }, {
      ...trainingFitOptions(config.training, splits.train.labels, numClasses),
      epochs: Math.ceil(range.steps / stepsPerEpoch),
      optimizer,
      rng,
      callbacks,
      signal: abort.signal,
    });
  } finally {
    optimizer.dispose();
    model?.dispose();
  }
  if (ctx.interactive) ctx.write("\n");
  return test;
}

/** What the test does not reproduce of the config's training, in words. */
function notIncluded(config: RunConfig): string[] {
  const lines: string[] = [];
  if (config.training.initFrom !== null) lines.push(`training.initFrom (${config.training.initFrom}): the test starts from a fresh net`);
  if (config.training.distill !== null) lines.push("training.distill: the test learns from the labels alone");
  return lines;
}

/** A fall of the smoothed loss below this share of its start is too small to read rates off. */
const WEAK_FALL = 0.05;

/** Draws `step i/n rate loss` on one line as the test goes. */
class StepProgress extends Callback {
  constructor(readonly test: LrRangeTest, readonly write: (text: string) => void) {
    super();
  }
  override onBatchEnd(): void {
    const point = this.test.points.at(-1);
    if (point) this.write(`\rstep ${point.step + 1}/${this.test.options.steps} rate ${point.lr.toExponential(1)} loss ${point.smoothedLoss.toFixed(4)}   `);
  }
}

/**
 * The finding as lines for a terminal: about a dozen of its points, evenly
 * spaced in log(rate), with a bar for the smoothed loss, then the suggestions.
 *
 * @param finding From {@linkcode findLearningRate}.
 * @param options `rows`: points shown. @default 12
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of learningRateLines(finding)) console.log(line);
 * ```
 */
export function learningRateLines(finding: LearningRateFinding, options: { rows?: number } = {}): string[] {
  const { points, suggestion } = finding;
  const rows = Math.max(2, options.rows ?? 12);
  const shown = [...new Set(Array.from({ length: rows }, (_, i) => Math.round((i * (points.length - 1)) / (rows - 1))))].map((i) => points[i]);
  const finite = shown.map((point) => point.smoothedLoss).filter(Number.isFinite);
  const low = Math.min(...finite), high = Math.max(...finite);
  const width = 30;
  const lines = [
    `Range test of ${finding.config} (${finding.backend.name}, ${finding.backend.precision}; ${finding.optimizer.name}, batch ${finding.batchSize}): ` +
    `${points.length} of ${finding.steps} steps, ${finding.ended === "diverged" ? "stopped when the loss blew up" : "every step taken"}`,
    "  rate      smoothed loss",
    ...shown.map((point) => {
      const bar = Number.isFinite(point.smoothedLoss) ? "#".repeat(Math.round(((point.smoothedLoss - low) / Math.max(high - low, 1e-12)) * width)) : "(not finite)";
      return `  ${point.lr.toExponential(1).padEnd(9)} ${point.smoothedLoss.toFixed(4).padStart(8)}  ${bar}`;
    }),
    `Lowest smoothed loss at ${suggestion.minimum.toExponential(1)}; suggested peak rate (lowest / 10): ${suggestion.minimumOverTen.toExponential(1)}` +
    (suggestion.valley === null ? "" : `; valley (halfway along the longest fall) at ${suggestion.valley.toExponential(1)}`) +
    (suggestion.steepest === null ? "" : `; steepest fall at ${suggestion.steepest.toExponential(1)}`),
    `The config's rate: ${finding.optimizer.learningRate}. The peak of a cosine or one_cycle schedule is training.optimizer.learningRate; ` +
    "a rate from this curve is a starting point, to be measured on validation",
  ];
  if (suggestion.noCeiling) {
    lines.push(
      "  the loss was lowest at the top of the range: the test found no rate too large, so these are not peak rates " +
        "(a net with batch norm trained by Adam may collapse towards predicting the class shares at large rates rather than blow up); " +
        "the rates where the curve is steep are the ones to try, on validation",
    );
  }
  if (suggestion.fall < WEAK_FALL) {
    lines.push(
      `  the loss fell only ${(100 * Math.max(0, suggestion.fall)).toFixed(1)}% below where it started: the net hardly learned in these ` +
        "steps, so the suggestion says little; give it more --steps or a narrower range (--min-lr, --max-lr)",
    );
  }
  for (const line of finding.notIncluded) lines.push(`  not included: ${line}`);
  return lines;
}

/**
 * The finding's curve as a figure: the batch and smoothed losses by rate, the
 * suggested rates marked, and the config's own rate as a dashed line.
 *
 * @param finding From {@linkcode findLearningRate}.
 * @returns The figure.
 * @example
 * ```ts
 * display(learningRateFigure(finding)); // in a notebook
 * ```
 */
export function learningRateFigure(finding: LearningRateFinding): Figure {
  const { suggestion } = finding;
  return lrRangeFigure({
    points: finding.points,
    marks: { valley: suggestion.valley, "lowest / 10": suggestion.minimumOverTen, steepest: suggestion.steepest },
    configRate: finding.optimizer.learningRate,
    title: finding.config,
  });
}

/**
 * Range tests of several L2 coefficients as lines for a terminal: per test
 * its lowest smoothed loss and where, its valley and steepest fall, and how
 * it ended; then the lowest curve, to try first.
 *
 * @param findings From {@linkcode findLearningRates}, at least one.
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of learningRateComparisonLines(findings)) console.log(line);
 * ```
 */
export function learningRateComparisonLines(findings: readonly LearningRateFinding[]): string[] {
  const [first] = findings;
  const best = findings.reduce((at, finding, i) => (finding.suggestion.lowestLoss < findings[at].suggestion.lowestLoss ? i : at), 0);
  const rate = (lr: number | null) => (lr === null ? "-" : lr.toExponential(1));
  const lines = [
    `Range tests of ${first.config} (${first.backend.name}, ${first.backend.precision}; ${first.optimizer.name}, batch ${first.batchSize}), ` +
    "one per L2 coefficient, the same initial weights and batches; the data's loss, the penalty left out",
    `  ${"L2".padEnd(8)} ${"lowest loss".padStart(11)}  ${"at rate".padEnd(8)} ${"valley".padEnd(8)} ${"steepest".padEnd(8)} ended`,
    ...findings.map((finding) => {
      const { suggestion } = finding;
      const ended = `${finding.points.length}/${finding.steps} steps${finding.ended === "diverged" ? ", blew up" : ""}` +
        (suggestion.noCeiling ? ", no ceiling" : "") + (suggestion.fall < WEAK_FALL ? ", hardly learned" : "");
      return `  ${String(finding.l2).padEnd(8)} ${suggestion.lowestLoss.toFixed(4).padStart(11)}  ${rate(suggestion.minimum).padEnd(8)} ` +
        `${rate(suggestion.valley).padEnd(8)} ${rate(suggestion.steepest).padEnd(8)} ${ended}`;
    }),
    `Lowest curve: L2 ${findings[best].l2} (${findings[best].suggestion.lowestLoss.toFixed(4)} at ${rate(findings[best].suggestion.minimum)}). ` +
    "The coefficient whose curve falls " +
    "lowest, or stays low to the largest rates, is the first to try (Smith 2018); a short test's differences of a few " +
    "hundredths are noise: measure the choice on validation",
  ];
  if (findings.some((finding) => finding.suggestion.noCeiling)) {
    lines.push("  no ceiling: the loss was lowest at the top of the range, so the test found no rate too large (see fer run --lr-find without --l2)");
  }
  if (findings.some((finding) => finding.suggestion.fall < WEAK_FALL)) {
    lines.push(
      `  hardly learned: the loss fell less than ${100 * WEAK_FALL}% below where it started, so that curve says little; ` +
        "give it more --steps or a narrower range (--min-lr, --max-lr)",
    );
  }
  for (const line of first.notIncluded) lines.push(`  not included: ${line}`);
  return lines;
}

/**
 * Range tests of several L2 coefficients as one figure: a smoothed curve per
 * coefficient, its valley marked, and the config's rate dashed.
 *
 * @param findings From {@linkcode findLearningRates}.
 * @returns The figure.
 * @example
 * ```ts
 * display(learningRateComparisonFigure(findings)); // in a notebook
 * ```
 */
export function learningRateComparisonFigure(findings: readonly LearningRateFinding[]): Figure {
  return lrRangeComparisonFigure({
    curves: findings.map((finding) => ({ label: `L2 ${finding.l2}`, points: finding.points, mark: finding.suggestion.valley })),
    configRate: findings[0]?.optimizer.learningRate ?? null,
    title: findings[0]?.config,
  });
}

/**
 * Writes range tests to a folder: `lr_find.csv` (L2 coefficient, step, rate,
 * batch loss, L2 penalty, smoothed loss; one row per step of each test) and
 * `lr_find.html` (the figure, offline: one test's as {@linkcode learningRateFigure}
 * draws it, several side by side).
 *
 * @param findings One finding, or several from {@linkcode findLearningRates}.
 * @param dir The folder (created when missing).
 * @returns The two files' paths.
 * @example
 * ```ts
 * const { csv, html } = await saveLearningRateFindings([finding], "/tmp/lr");
 * ```
 */
export async function saveLearningRateFindings(findings: readonly LearningRateFinding[], dir: string): Promise<{ csv: string; html: string }> {
  const csv = join(dir, "lr_find.csv");
  const html = join(dir, "lr_find.html");
  // Written by hand: a table helper's fixed decimals would round rates of 1e-7 to zero.
  const rows = findings.flatMap((finding) =>
    finding.points.map((point) => `${finding.l2},${point.step},${point.lr},${point.loss},${point.penalty},${point.smoothedLoss}`)
  );
  await atomicWrite(csv, ["l2,step,lr,loss,penalty,smoothed_loss", ...rows].join("\n") + "\n");
  const figure = findings.length === 1 ? learningRateFigure(findings[0]) : learningRateComparisonFigure(findings);
  await saveFigureHtml(figure, html);
  return { csv, html };
}
