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
import { type LrRangePoint, LrRangeTest, type LrSuggestion, suggestLearningRate } from "../train/lr_range_test.ts";
import { configTrainingData } from "./config_training_data.ts";
import { trainingFitOptions } from "./fit_stage.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { buildConfigModel } from "./run_experiment.ts";
import type { Figure } from "../viz/figures.ts";
import { lrRangeFigure } from "../viz/lr_range_figure.ts";
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

/** What {@linkcode findLearningRate} measured. */
export interface LearningRateFinding {
  config: string;
  /** The backend and precision the steps ran on. */
  backend: { name: string; precision: string };
  /** The optimizer's name and the config's own rate (the peak of its schedule). */
  optimizer: { name: string; learningRate: number };
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
  const ctx = { log: () => {}, write: () => {}, interactive: false, ...paths };
  if (config.model.family === "transfer") {
    throw new ConfigError(
      `Config ${config.name} trains a transfer model's head on cached backbone features: the range test takes steps of a from-scratch ` +
        "family (small_cnn, vgg_like, ...); try a few rates with fer sweep instead",
    );
  }
  const minLr = options.minLr ?? 1e-7;
  const maxLr = options.maxLr ?? 1;
  const steps = options.steps ?? 100;
  const abort = new AbortController();
  // Made first: it refuses a bad range before any data are loaded.
  const test = new LrRangeTest({ minLr, maxLr, steps }, () => abort.abort());
  const { backend, rng, splits } = await configTrainingData(config, ctx);
  const numClasses = config.dataset.classes.length;
  const batchSize = config.training.batchSize;
  const stepsPerEpoch = Math.ceil(splits.train.count / batchSize);
  const callbacks = ctx.interactive ? [test, new StepProgress(test, ctx.write)] : [test];
  let model: tf.LayersModel | undefined;
  const optimizer = makeOptimizer(config.training.optimizer);
  try {
    model = buildConfigModel(config);
    const train = imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation });
    ctx.log(`Range test: ${steps} steps of ${batchSize} images, the rate rising from ${minLr} to ${maxLr}`);
    await fit(model, { train }, {
      ...trainingFitOptions(config.training, splits.train.labels, numClasses),
      epochs: Math.ceil(steps / stepsPerEpoch),
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
  const notIncluded: string[] = [];
  if (config.training.initFrom !== null) notIncluded.push(`training.initFrom (${config.training.initFrom}): the test starts from a fresh net`);
  if (config.training.distill !== null) notIncluded.push("training.distill: the test learns from the labels alone");
  return {
    config: config.name,
    backend: { name: backend.name, precision: backend.precision.used },
    optimizer: { name: config.training.optimizer.name, learningRate: config.training.optimizer.learningRate },
    batchSize,
    minLr,
    maxLr,
    steps,
    points: test.points,
    ended: test.ended ?? "completed",
    suggestion: suggestLearningRate(test.points),
    notIncluded,
  };
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
 * Writes the finding to a folder: `lr_find.csv` (step, rate, batch loss,
 * smoothed loss; one row per step) and `lr_find.html` (the figure, offline).
 *
 * @param finding From {@linkcode findLearningRate}.
 * @param dir The folder (created when missing).
 * @returns The two files' paths.
 * @example
 * ```ts
 * const { csv, html } = await saveLearningRateFinding(finding, "/tmp/lr");
 * ```
 */
export async function saveLearningRateFinding(finding: LearningRateFinding, dir: string): Promise<{ csv: string; html: string }> {
  const csv = join(dir, "lr_find.csv");
  const html = join(dir, "lr_find.html");
  const rows = finding.points.map((point) => `${point.step},${point.lr},${point.loss},${point.smoothedLoss}`);
  await atomicWrite(csv, ["step,lr,loss,smoothed_loss", ...rows].join("\n") + "\n");
  await saveFigureHtml(learningRateFigure(finding), html);
  return { csv, html };
}
