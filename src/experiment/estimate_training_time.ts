/**
 * How long a run config would take here, before it is run: a few of its
 * training steps and validation batches are timed on this machine, with its
 * backend, precision, model, augmentation and batch size, and scaled to its
 * epochs, splits and test-time views. Nothing is saved (the decoded dataset
 * goes to the cache, as a run would put it there).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { readFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { resolve } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { ttaViews } from "../predict/tta_views.ts";
import { subsetSource } from "../train/batch_source.ts";
import { Callback } from "../train/callback.ts";
import { evaluateLoss } from "../train/evaluate_loss.ts";
import { fit } from "../train/fit.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import { trainingFitOptions } from "./fit_stage.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import { readRunConfig } from "./read_run_config.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { buildConfigModel } from "./run_experiment.ts";
import { configTrainingData } from "./config_training_data.ts";
import { experimentHash, findIdenticalRun, findResumableIdenticalRun, namesRunConfig } from "./find_identical_run.ts";
import { estimateTeacherPass, type TeacherPassPart } from "./teacher_targets.ts";
import { backendFacts } from "./score_cache.ts";
import { resumePoint } from "./resumable_run.ts";

/** What {@linkcode estimateTrainingTime} measured and what it predicts. */
export interface TrainingTimeEstimate {
  /** The backend and precision the run would use, as selected now. */
  backend: { name: string; precision: string };
  /** Images per split, after `dataset.limitPerSplit`. */
  images: { train: number; validation: number; test: number };
  epochs: number;
  batchSize: number;
  /** Training steps timed (after the warm-up steps, which are not counted). */
  timedSteps: number;
  /** Training images per second over the timed steps (augmentation, forward, backward and update). */
  trainImagesPerSecond: number;
  /** Inference images per second over the timed validation batches. */
  inferenceImagesPerSecond: number;
  /** One epoch's training pass, in seconds. */
  trainSecondsPerEpoch: number;
  /** One epoch's validation pass, in seconds. */
  validationSecondsPerEpoch: number;
  /** Every epoch, training and validation (an upper bound when early stopping may end sooner). */
  trainingSeconds: number;
  /** Test-time views per image of the final scoring. */
  views: number;
  /** The final scoring of validation and test over the views. */
  evaluationSeconds: number;
  /**
   * The teachers' pass over the training images before the first epoch (`training.distill`), per teacher: cached
   * (none), timed here on a sample, or from the estimate of a teacher config trained first; null without teachers.
   * Teachers it could not time are named in `notIncluded`.
   */
  teacherPass: { parts: TeacherPassPart[]; seconds: number } | null;
  /** `trainingSeconds + evaluationSeconds`, and the teachers' pass. */
  totalSeconds: number;
  /** Work the estimate leaves out, in words (a source config still to train and not estimated, early stopping). */
  notIncluded: string[];
  /**
   * The source configs the run trains first (`training.initFrom` or a distillation teacher named by config path,
   * with no completed run), each estimated with its own sources, when `sources: true` was asked; else empty and
   * each such source is named in `notIncluded`.
   */
  sources: SourceEstimate[];
  /**
   * The CPU's load just before timing and its cores: a load near the cores (another training, a test run)
   * shares them with the timed steps, so the rates come out low.
   */
  cpu: CpuLoad;
}

/** A run trained before the one asked for (a source config, an ensemble's member), estimated from where it stands. */
export interface TrainedFirst {
  /** A whole run's estimate. */
  estimate: TrainingTimeEstimate;
  /** Its run that stopped with its checkpoint and goes on (the epochs it finished); absent when it starts afresh. */
  resumes?: { runId: string; epochsDone: number };
  /** Its epochs still to train, then its final scoring, in seconds (its own sources not counted). */
  seconds: number;
}

/** A source config a run trains first (`training.initFrom`, a teacher), estimated. */
export interface SourceEstimate extends TrainedFirst {
  /** The config path, as the run's config names it. */
  reference: string;
}

/**
 * A run to train first, from where it stands: all its epochs, or those a stopped run of it has left.
 *
 * @param estimate A whole run's estimate.
 * @param resumes Its stopped run and the epochs it finished, if it has one.
 * @returns The estimate with its seconds from where it stands.
 * @example
 * ```ts
 * trainedFirst(estimate, { runId, epochsDone: 6 }).seconds; // 44 of 50 epochs and the final scoring
 * ```
 */
export function trainedFirst(estimate: TrainingTimeEstimate, resumes?: { runId: string; epochsDone: number }): TrainedFirst {
  const left = resumes ? Math.max(0, estimate.epochs - resumes.epochsDone) / estimate.epochs : 1;
  return { estimate, seconds: estimate.trainingSeconds * left + estimate.evaluationSeconds, ...(resumes ? { resumes } : {}) };
}

/**
 * A run trained first, for a terminal: its title, its estimate's lines indented, and where a stopped run of it goes on.
 *
 * @param title E.g. "Source experiments/best_fer2013.json" or "Member 1 (best_4class)".
 * @param run From {@linkcode trainedFirst}.
 * @param when When it is trained, after "no completed run yet, ". @default "trained first"
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * console.log(trainedFirstLines("Member 0 (small_cnn)", trainedFirst(estimate)).join("\n"));
 * ```
 */
export function trainedFirstLines(title: string, run: TrainedFirst, when = "trained first"): string[] {
  const lines = [`${title}: no completed run yet, ${when}`, ...estimateLines(run.estimate, { busyCpu: false }).map((line) => `  ${line}`)];
  if (run.resumes) {
    const { runId, epochsDone } = run.resumes;
    lines.push(
      `  its run ${runId} stopped after epoch ${epochsDone} of ${run.estimate.epochs} with its checkpoint and goes on from there: ` +
        `about ${formatSeconds(run.seconds)} for the ${run.estimate.epochs - epochsDone} epoch(s) left and the final scoring`,
    );
  }
  return lines;
}

/** How busy the CPU is: `load` cores' worth of work (0 to `cores`) by other processes. */
export interface CpuLoad {
  load: number;
  cores: number;
}

/** Options of {@linkcode estimateTrainingTime}. */
export interface EstimateOptions {
  /** Training steps to time after the warm-up. @default 30 */
  steps?: number;
  /** Steps run first and not timed (graph building, first allocations). @default 3 */
  warmupSteps?: number;
  /** The clock, in milliseconds (a test fixes it). @default performance.now */
  clock?: () => number;
  /** The CPU's load and cores now (a test fixes them). @default {@linkcode cpuLoadNow} */
  cpu?: () => CpuLoad | Promise<CpuLoad>;
  /**
   * Estimate the source configs the run trains first too (`fer run --estimate`), each timed as its own run;
   * else they are named in `notIncluded` (a sweep's trials share theirs, trained once). @default false
   */
  sources?: boolean;
  /**
   * The experiments (by {@linkcode experimentHash}) already counted as trained first by whoever asks, filled in as
   * sources are estimated: a source among them is trained once, so it is named, not counted again. An ensemble's
   * estimate passes one set to all its members; one run's estimate shares one across its sources' own sources.
   * @default a new set for this estimate
   */
  trainedBefore?: Set<string>;
}

/**
 * Times a few training steps and validation batches of `config` on this
 * machine and scales them to the whole run.
 *
 * @param config A run config (from scratch: a transfer config's time is mostly its backbone's pass).
 * @param paths Project, results and cache folders (the results folder is read, to say whether a source config
 *   still needs training), and optionally where the log and progress go (nowhere by default).
 * @param options Steps to time, warm-up and clock.
 * @returns The estimate.
 * @throws {ConfigError} For a transfer config, or steps that are not positive integers.
 * @throws {DatasetError} When the dataset cannot be loaded, or a class has no image in a split (as a run would).
 * @example
 * ```ts
 * const estimate = await estimateTrainingTime(await readRunConfig("experiments/best_fer2013.json"), ctx);
 * console.log(`${(estimate.totalSeconds / 60).toFixed(0)} min`);
 * ```
 */
export async function estimateTrainingTime(
  config: RunConfig,
  paths: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir"> & Partial<Pick<RunContext, "log" | "write" | "interactive">>,
  options: EstimateOptions = {},
): Promise<TrainingTimeEstimate> {
  return await estimateRun(config, paths, { ...options, trainedBefore: options.trainedBefore ?? new Set() }, [experimentHash(config)]);
}

/** {@linkcode estimateTrainingTime}, with the experiments whose sources are being estimated (a source leading back to one is refused). */
async function estimateRun(
  config: RunConfig,
  paths: Parameters<typeof estimateTrainingTime>[1],
  options: EstimateOptions,
  chain: readonly string[],
): Promise<TrainingTimeEstimate> {
  const ctx = { log: () => {}, write: () => {}, interactive: false, ...paths };
  if (config.model.family === "transfer") {
    throw new ConfigError(
      `Config ${config.name} trains a transfer model, whose time is mostly its backbone's pass over the images, not training steps: ` +
        "time it with --epochs 1 instead (deno task fer run <config> --epochs 1)",
    );
  }
  const steps = positiveInteger(options.steps ?? 30, "steps");
  const warmupSteps = options.warmupSteps ?? 3;
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) throw new ConfigError(`Warm-up steps ${warmupSteps} is not a whole number >= 0`);
  const clock = options.clock ?? (() => performance.now());
  // Read before anything here adds to it.
  const cpu = await (options.cpu ?? cpuLoadNow)();

  // What the run would refuse (a class missing from a split) is refused here too, not estimated.
  const { backend, dataset, rng, splits } = await configTrainingData(config, ctx);
  const numClasses = config.dataset.classes.length;
  const batchSize = config.training.batchSize;

  let model: tf.LayersModel | undefined;
  const optimizer = makeOptimizer(config.training.optimizer, config.training.schedule);
  try {
    model = buildConfigModel(config);
    // The steps of one shortened epoch, on a shuffled sample of the training images, as a run's first epoch takes them.
    const train = imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation });
    const available = Math.ceil(splits.train.count / batchSize);
    const warmup = Math.min(warmupSteps, Math.max(0, available - 1));
    const timedSteps = Math.min(steps, available - warmup);
    const sample = rng.shuffle(Array.from({ length: splits.train.count }, (_, i) => i)).slice(0, (warmup + timedSteps) * batchSize);
    ctx.log(`Timing ${timedSteps} training step(s) of ${batchSize} images after ${warmup} warm-up step(s)`);
    const timer = new StepTimer(clock);
    await fit(model, { train: subsetSource(train, sample) }, {
      ...trainingFitOptions(config.training, splits.train.labels, numClasses),
      epochs: 1,
      optimizer,
      rng,
      callbacks: [timer],
    });
    const trainImagesPerSecond = timer.imagesPerSecond(warmup);

    // Validation as fit scores it each epoch (inference mode, batches of at least 64), after one untimed batch.
    const evalBatch = Math.max(batchSize, 64);
    const validation = imageBatchSource(splits.validation, { numClasses, preprocessing: config.dataset.preprocessing, blurSigma: config.dataset.evalBlurSigma });
    const order = Array.from({ length: Math.min(splits.validation.count, (1 + Math.max(2, Math.ceil(steps / 3))) * evalBatch) }, (_, i) => i);
    await evaluateLoss(model, subsetSource(validation, order.slice(0, evalBatch)), { batchSize: evalBatch, rng });
    const timedImages = order.length > evalBatch ? order.slice(evalBatch) : order;
    const started = clock();
    await evaluateLoss(model, subsetSource(validation, timedImages), { batchSize: evalBatch, rng });
    const inferenceImagesPerSecond = timedImages.length / Math.max((clock() - started) / 1000, 1e-6);

    const images = { train: splits.train.count, validation: splits.validation.count, test: splits.test?.count ?? 0 };
    const trainSecondsPerEpoch = images.train / trainImagesPerSecond;
    const validationSecondsPerEpoch = images.validation / inferenceImagesPerSecond;
    const epochs = config.training.epochs;
    const trainingSeconds = epochs * (trainSecondsPerEpoch + validationSecondsPerEpoch);
    const views = ttaViews(config.tta).length;
    const evaluationSeconds = ((images.validation + images.test) * views) / inferenceImagesPerSecond;
    const { sources, notIncluded } = await sourcesAndLeftOut(config, ctx, { ...options, cpu: () => cpu }, chain);
    // A teacher config trained first passes over its views at the inference rate its own estimate measured.
    const trainedFirst = new Map(sources.map((source) => [source.reference, source.estimate]));
    const pass = config.training.distill === null ? null : await estimateTeacherPass(config, splits.train, ctx, {
      scoredWith: { dataset: dataset.fingerprint, ...backendFacts(backend) },
      trainedFirst,
      clock,
    });
    if (pass && pass.untimed.length > 0) {
      notIncluded.push(`the pass of teacher(s) ${pass.untimed.join(", ")} over the ${images.train} training images (no completed run to time; cached for later runs)`);
    }
    const teacherPass = pass && { parts: pass.parts, seconds: pass.seconds };
    return {
      backend: { name: backend.name, precision: backend.precision.used },
      images,
      epochs,
      batchSize,
      timedSteps,
      trainImagesPerSecond,
      inferenceImagesPerSecond,
      trainSecondsPerEpoch,
      validationSecondsPerEpoch,
      trainingSeconds,
      views,
      evaluationSeconds,
      teacherPass,
      totalSeconds: trainingSeconds + evaluationSeconds + (teacherPass?.seconds ?? 0),
      sources,
      notIncluded,
      cpu,
    };
  } finally {
    optimizer.dispose();
    model?.dispose();
  }
}

/**
 * The estimate as lines for a terminal.
 *
 * @param estimate From {@linkcode estimateTrainingTime}.
 * @param options `busyCpu: false` leaves out the caution about a busy CPU (a caller listing several estimates
 *   read with one load says it once). @default { busyCpu: true }
 * @returns Lines without trailing newlines.
 * @example
 * ```ts
 * for (const line of estimateLines(estimate)) console.log(line);
 * ```
 */
export function estimateLines(estimate: TrainingTimeEstimate, options: { busyCpu?: boolean } = {}): string[] {
  const { images, epochs } = estimate;
  const lines = estimate.sources.flatMap((source) => trainedFirstLines(`Source ${source.reference}`, source));
  lines.push(
    `Backend ${estimate.backend.name} (${estimate.backend.precision}); batch ${estimate.batchSize}; ${estimate.timedSteps} training step(s) timed`,
    `  training ${rate(estimate.trainImagesPerSecond)} images/s: ${formatSeconds(estimate.trainSecondsPerEpoch)} an epoch over ${images.train} images`,
    `  inference ${rate(estimate.inferenceImagesPerSecond)} images/s: ${formatSeconds(estimate.validationSecondsPerEpoch)} an epoch over ${images.validation} validation images`,
    `  ${epochs} epoch(s): ${formatSeconds(estimate.trainingSeconds)}`,
    `  final scoring of ${images.validation + images.test} images x ${estimate.views} view(s): ${formatSeconds(estimate.evaluationSeconds)}`,
  );
  if (estimate.teacherPass) {
    const parts = estimate.teacherPass.parts.map((part) =>
      `${part.reference} ${part.how === "cached" ? "cached" : `${part.views} view(s) ${formatSeconds(part.seconds)}${part.how === "estimated" ? " (from its estimate)" : ""}`}`
    );
    lines.push(
      `  teachers' pass over ${images.train} training images, before the first epoch (once; cached for later runs): ` +
        `${formatSeconds(estimate.teacherPass.seconds)}${parts.length > 0 ? ` (${parts.join("; ")})` : ""}`,
    );
  }
  lines.push(`Estimated run time here: ${formatSeconds(estimate.totalSeconds)}`);
  if (estimate.sources.length > 0) lines.push(`Estimated time here with the sources trained first: ${formatSeconds(secondsWithSources(estimate))}`);
  for (const line of estimate.notIncluded) lines.push(`  not included: ${line}`);
  const busy = busyCpuLine(estimate.cpu);
  if (busy && (options.busyCpu ?? true)) lines.push(`  ${busy}`);
  return lines;
}

/** A run's estimated time with the sources it trains first (theirs too), each from where it stands. */
function secondsWithSources(estimate: TrainingTimeEstimate): number {
  return estimate.totalSeconds + sourcesSeconds(estimate);
}

/** The sources a run trains first, each from where it stands, with their own sources. */
function sourcesSeconds(estimate: TrainingTimeEstimate): number {
  return estimate.sources.reduce((sum, source) => sum + trainedFirstSeconds(source), 0);
}

/**
 * A run trained first (a source, an ensemble's member), from where it stands, with the sources it trains first itself.
 *
 * @param run From {@linkcode trainedFirst}.
 * @returns Seconds: its epochs left and final scoring, and its sources' (theirs too).
 * @example
 * ```ts
 * const total = members.reduce((sum, member) => sum + trainedFirstSeconds(member), 0);
 * ```
 */
export function trainedFirstSeconds(run: TrainedFirst): number {
  return run.seconds + sourcesSeconds(run.estimate);
}

/**
 * The trainings a run trained first goes through, in order: its own sources (each after theirs), then its epochs left.
 *
 * @param run From {@linkcode trainedFirst}.
 * @returns What `sittingsFor` counts sittings over.
 * @example
 * ```ts
 * sittingsFor(members.flatMap(trainedFirstTrainings), 2 * 3600);
 * ```
 */
export function trainedFirstTrainings(run: TrainedFirst): TrainingLeft[] {
  return [...trainingsInOrder(run.estimate).slice(0, -1), trainingLeft(run.estimate, run.resumes?.epochsDone)];
}

/**
 * The trainings a run of the estimated config goes through, in order: the sources it trains first (each
 * after its own), with the epochs each has left, then the run's own: what `sittingsFor` counts sittings over.
 *
 * @param estimate From {@linkcode estimateTrainingTime}.
 * @returns Each training's epochs still to run and the seconds of one of its epochs (training and validation).
 * @example
 * ```ts
 * sittingsFor(trainingsInOrder(estimate), 2 * 3600);
 * ```
 */
export function trainingsInOrder(estimate: TrainingTimeEstimate): TrainingLeft[] {
  return [
    ...estimate.sources.flatMap(trainedFirstTrainings),
    trainingLeft(estimate),
  ];
}

/** One training as `sittingsFor` counts it: epochs left, an epoch's seconds, and scoring its kept weights after a stop. */
export interface TrainingLeft {
  epochs: number;
  epochSeconds: number;
  scoringSeconds: number;
}

/**
 * One estimated training from where it stands: its epochs left, the seconds of one (training and validation), and
 * of scoring its kept weights over its views on validation, which a sitting's stop leaves room for.
 *
 * @param estimate The run's estimate.
 * @param epochsDone Epochs a stopped run of it finished already. @default 0
 * @returns What `sittingsFor` takes for one run.
 * @example
 * ```ts
 * trainingLeft(estimate, 6); // { epochs: 44, epochSeconds: 190, scoringSeconds: 156 } for a 50-epoch run stopped after epoch 6, 12 views
 * ```
 */
export function trainingLeft(estimate: TrainingTimeEstimate, epochsDone = 0): TrainingLeft {
  return {
    epochs: Math.max(0, estimate.epochs - epochsDone),
    epochSeconds: estimate.trainSecondsPerEpoch + estimate.validationSecondsPerEpoch,
    scoringSeconds: estimate.views * estimate.validationSecondsPerEpoch,
  };
}

/** Times the steps of one epoch: the clock at the epoch's start and after each step, and each step's images. */
class StepTimer extends Callback {
  private readonly ends: number[] = [];
  private readonly sizes: number[] = [];
  private start = 0;
  constructor(private readonly clock: () => number) {
    super();
  }
  override onEpochBegin(): void {
    this.start = this.clock();
  }
  override onBatchEnd(_batch: number, logs: { size: number }): void {
    this.ends.push(this.clock());
    this.sizes.push(logs.size);
  }
  /** Images per second over the steps after the first `warmup`. */
  imagesPerSecond(warmup: number): number {
    const from = warmup === 0 ? this.start : this.ends[warmup - 1];
    const images = this.sizes.slice(warmup).reduce((sum, size) => sum + size, 0);
    return images / Math.max((this.ends.at(-1)! - from) / 1000, 1e-6);
  }
}

/**
 * The sources a run of this config trains first, estimated when asked (`options.sources`), and what the
 * estimate does not time: sources not estimated (not asked, or a transfer config, timed with --epochs 1),
 * early stopping (the teachers' pass is estimated by the caller).
 */
async function sourcesAndLeftOut(
  config: RunConfig,
  ctx: Pick<RunContext, "projectRoot" | "resultsRoot" | "cacheDir">,
  options: EstimateOptions,
  chain: readonly string[],
): Promise<{ sources: SourceEstimate[]; notIncluded: string[] }> {
  const notes: string[] = [];
  const estimated: SourceEstimate[] = [];
  const counted = options.trainedBefore ?? new Set<string>();
  const sources = [config.training.initFrom, ...(config.training.distill?.teachers ?? [])].filter((s): s is string => s !== null);
  for (const source of sources.filter(namesRunConfig)) {
    let completed = false;
    let sourceConfig: RunConfig | null = null;
    let stopped: { id: string; epochsDone: number; epochs: number } | null = null;
    try {
      sourceConfig = await readRunConfig(resolve(ctx.projectRoot, source));
      completed = (await findIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot)) !== undefined;
      const run = completed ? undefined : await findResumableIdenticalRun(ctx.resultsRoot, sourceConfig, ctx.projectRoot);
      const point = run ? await resumePoint(ctx.resultsRoot, run.id) : null;
      if (run && point) stopped = { id: run.id, ...point };
    } catch {
      // An unreadable source config is the run's to report, with its field.
    }
    if (!completed && sourceConfig !== null && options.sources && sourceConfig.model.family !== "transfer") {
      const hash = experimentHash(sourceConfig);
      if (chain.includes(hash)) {
        throw new ConfigError(`${source} leads back to a config it is a source of: a run cannot learn from itself; name a different config or a finished run's id`);
      }
      // The same experiment named twice (initFrom and a teacher, a source's source, an earlier member's) is trained once.
      if (counted.has(hash)) {
        notes.push(`${source} again (trained once, counted above)`);
        continue;
      }
      counted.add(hash);
      // Trained first, as resolveSourceRun trains it: from its stopped run's checkpoint when there is one.
      const estimate = await estimateRun(sourceConfig, ctx, options, [...chain, hash]);
      estimated.push({ reference: source, ...trainedFirst(estimate, stopped ? { runId: stopped.id, epochsDone: stopped.epochsDone } : undefined) });
      continue;
    }
    if (stopped) {
      notes.push(
        `${source} has no completed run yet: its run ${stopped.id}, stopped after epoch ${stopped.epochsDone} of ${stopped.epochs}, ` +
          `goes on first (its ${stopped.epochs - stopped.epochsDone} epoch(s) left; estimate a whole run of it: deno task fer run ${source} --estimate)`,
      );
    } else if (!completed) notes.push(`${source} has no completed run yet and is trained first (estimate it: deno task fer run ${source} --estimate)`);
  }
  if (config.training.earlyStopping !== null) notes.push("early stopping may end training sooner: the epochs are an upper bound");
  return { sources: estimated, notIncluded: notes };
}

/**
 * How many cores' worth of work other processes do now: on Linux, the CPU time not idle in /proc/stat over
 * `sampleMs` while this process waits (instant, unlike the load average, which still counts a job that ended a
 * minute ago); elsewhere, the 1-minute load average. Estimates of several configs in a row (a sweep's settings,
 * an ensemble's members) read it once, before the first.
 *
 * @param sampleMs How long to watch, in ms. @default 500
 * @returns The load and the cores.
 * @example
 * ```ts
 * const cpu = await cpuLoadNow();
 * console.log(`${cpu.load.toFixed(1)} of ${cpu.cores} cores busy`);
 * ```
 */
export async function cpuLoadNow(sampleMs = 500): Promise<CpuLoad> {
  const cores = availableParallelism();
  const before = await cpuTimes();
  if (before === undefined) return { load: loadavg()[0], cores };
  await new Promise((done) => setTimeout(done, sampleMs));
  const after = await cpuTimes();
  if (after === undefined || after.total <= before.total) return { load: loadavg()[0], cores };
  return { load: (cores * (after.busy - before.busy)) / (after.total - before.total), cores };
}

/** The summed CPU times of /proc/stat's first line (all cores), busy and in all; undefined where there is none. */
async function cpuTimes(): Promise<{ busy: number; total: number } | undefined> {
  let text: string;
  try {
    text = await readFile("/proc/stat", "utf8");
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal ...: idle and iowait are the time nothing ran.
  const fields = text.split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const total = fields.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { busy: total - fields[3] - fields[4], total };
}

/**
 * A caution when the load before timing was at least half the cores (one busy core of two already halves a
 * 2-core machine's rates), else undefined.
 *
 * @param cpu The load and cores before timing.
 * @returns The caution, or undefined on a quiet machine.
 * @example
 * ```ts
 * console.assert(busyCpuLine({ load: 0.1, cores: 2 }) === undefined);
 * ```
 */
export function busyCpuLine(cpu: CpuLoad): string | undefined {
  if (cpu.load < cpu.cores / 2) return undefined;
  return `the CPU was busy before timing (${cpu.load.toFixed(1)} of ${cpu.cores} cores in use by other work): it shared the cores ` +
    "with the timed steps, so the rates are low and the times long; estimate again on a quiet machine";
}

function positiveInteger(value: number, name: string): number {
  if (!(Number.isInteger(value) && value > 0)) throw new ConfigError(`Estimate ${name} ${value} is not a whole number above 0; use a value such as 30`);
  return value;
}

function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}
