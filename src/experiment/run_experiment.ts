/**
 * Runs one experiment config end to end and leaves a run folder:
 * config -> dataset -> backend -> model -> train -> evaluate -> run folder;
 * or goes on with a run that stopped before its last epoch (Ctrl-C, a crash,
 * a killed process, a full disk) from the checkpoint it saved after its last
 * finished epoch, in the same run folder, ending as the uninterrupted run
 * would have (on a deterministic backend, bit for bit). The two are one
 * module because each may need the other: a run's starting weights or
 * teachers are runs of their own, trained first, or resumed when an earlier
 * one stopped with its checkpoint.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/image_set.ts";
import { discoverDataset } from "../data/discover_dataset.ts";
import { type Dataset, loadDataset } from "../data/load_dataset.ts";
import { limitImageSet } from "../data/limit_image_set.ts";
import { checkClassCoverage, describeDatasetProblems } from "../data/dataset_problems.ts";
import { selectBackend } from "../backend/select_backend.ts";
import { buildModel } from "../models/build_model.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import type { EpochLogs } from "../train/callback.ts";
import type { RunContext } from "./run_context.ts";
import type { StopReason } from "../train/fit.ts";
import { fitStage } from "./fit_stage.ts";
import { RunError, RunNotStartedError } from "../core/errors.ts";
import { loadBackbone } from "../transfer/load_backbone.ts";
import { runTransfer } from "./run_transfer.ts";
import { evaluateRun, type RunScoring } from "./evaluate_run.ts";
import { type RunMetrics } from "./run_metrics.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { passProgress } from "../train/progress_bar.ts";
import { blendTargets } from "../train/blend_targets.ts";
import type { BatchSource } from "../train/batch_source.ts";
import { resolveTeachers, type TeacherTargets, teacherTargets } from "./teacher_targets.ts";
import { backendFacts } from "./score_cache.ts";
import type { SourceRun } from "./source_run.ts";
import type { BackendInfo } from "../backend/backend_info.ts";
import type { Backbone } from "../transfer/load_backbone.ts";
import type { DatasetProblemSummary } from "../data/dataset_problems.ts";
import { saveModel } from "./model_files.ts";
import { parseRunConfig, type RunConfig, scratchModelConfig } from "./run_config.ts";
import { decodeFitState, disposeFitState, type FitState, readFitStateFacts } from "../train/fit_state.ts";
import { RUN_FILES } from "./run_files.ts";
import { configDifferences } from "./config_differences.ts";
import { buildManifest } from "./build_manifest.ts";
import { experimentHash } from "./find_identical_run.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import { codeVersion, type RunManifest } from "./run_manifest.ts";
import { resolveDatasetRoot } from "./resolve_dataset_root.ts";
import { applyInitialWeights, type InitialWeights, resolveInitialWeights } from "./initial_weights.ts";
import {
  createRun,
  currentRunProcess,
  openRun,
  readCheckpoint,
  readRunJson,
  removeCheckpoint,
  runPath,
  type RunHandle,
  runState,
  truncateHistory,
  writeRunJson,
} from "./run_store.ts";
import { type CheckpointFacts, checkpointSaver, type TrainingResume } from "./run_checkpoint.ts";
import { type RunEnd, withRun } from "./with_run.ts";
import { restoreDropoutCallCounts } from "../models/seeded_dropout.ts";
import { writeRunPlots } from "./write_run_plots.ts";
import { ttaViews } from "../predict/tta_views.ts";

// Model families whose training aborts native TensorFlow 2.18 when its CPU
// kernels use oneDNN ("double free or corruption" within the first epoch:
// xception_like on the full 4-class train split, 4 of 4 runs, float32 and
// bf16 alike; 3 of 3 runs with TF_ENABLE_ONEDNN_OPTS=0 finished). Their runs
// load TensorFlow with oneDNN off, on Eigen's kernels.
const TRAINING_CRASHES_ONEDNN: ReadonlySet<string> = new Set(["xception_like"]);

/**
 * Whether a model family's training may use native TensorFlow's oneDNN kernels (see the list above).
 *
 * @param family `model.family`.
 * @returns False for the families whose training aborts with oneDNN on.
 * @example
 * ```ts
 * console.assert(trainingUsesOneDnn("small_cnn") && !trainingUsesOneDnn("xception_like"));
 * ```
 */
export function trainingUsesOneDnn(family: string): boolean {
  return !TRAINING_CRASHES_ONEDNN.has(family);
}

/**
 * The splits a run trains and scores on: the dataset's, each cut to `dataset.limitPerSplit` (a seeded sample).
 *
 * @param dataset The loaded dataset.
 * @param config The run config.
 * @param rng The run's generator; it advances once per limited split.
 * @returns Train, validation and, when the dataset has one, test.
 * @example
 * ```ts
 * const splits = limitedSplits(dataset, config, makeRng(config.seed));
 * ```
 */
export function limitedSplits(dataset: Dataset, config: RunConfig, rng: Rng): { train: ImageSet; validation: ImageSet; test?: ImageSet } {
  const limits = config.dataset.limitPerSplit;
  return {
    train: limits?.train ? limitImageSet(dataset.splits.train, limits.train, rng) : dataset.splits.train,
    validation: limits?.validation ? limitImageSet(dataset.splits.validation, limits.validation, rng) : dataset.splits.validation,
    test: dataset.splits.test && limits?.test ? limitImageSet(dataset.splits.test, limits.test, rng) : dataset.splits.test,
  };
}

/** What {@linkcode runExperiment} returns. */
export interface RunOutcome {
  run: RunHandle;
  manifest: RunManifest;
  stopReason: StopReason;
}

/**
 * Trains and evaluates the model a config describes, writing the run folder.
 *
 * config.json and manifest.json (status "running") are written before the
 * first epoch; history.csv grows each epoch; the best weights so far are
 * saved to model/ whenever validation improves, so an interrupted run keeps
 * them, and a from-scratch run replaces checkpoint.bin after each epoch, so
 * `resumeExperiment` can go on with it (removed once the run completes); at
 * the end metrics.json, predictions.csv, the model and the plots are
 * written, and the manifest is marked completed or interrupted. A failure
 * marks the manifest "failed" with the error and rethrows (the lifecycle is
 * withRun's, shared with ensembles). Every family trains through the same
 * fit wiring (fitStage); transfer configs (`model.family` "transfer") first
 * precompute their backbone's features where the mode needs them, and
 * runTransfer adds the collapse check to metrics.json.
 *
 * A config with `training.initFrom` starts from that run's saved weights;
 * one with `training.distill` learns from its teachers' probabilities as well
 * as its labels. When either names a config with no completed run yet, that
 * config is trained first, as a run of its own.
 *
 * @param config A config from parseRunConfig.
 * @param ctx See {@linkcode RunContext}.
 * @param initChain Experiment hashes of the runs waiting for this one's weights (the cycle guard of initFrom and distill). @default []
 * @returns The run, its final manifest and why training stopped.
 * @example
 * ```ts
 * const outcome = await runExperiment(parseRunConfig(json), { projectRoot: ".", resultsRoot: "results", cacheDir: ".cache/datasets", log: console.log, write: (t) => Deno.stderr.writeSync(new TextEncoder().encode(t)), interactive: false });
 * ```
 */
export async function runExperiment(config: RunConfig, ctx: RunContext, initChain: readonly string[] = []): Promise<RunOutcome> {
  const prepared = await prepareRun(config, ctx, { initChain, resuming: false });
  const { backend, dataset, splits, skipped, teachers, distilled, init } = prepared;
  if (ctx.signal?.aborted && (init !== null || teachers.length > 0)) {
    // The stop (a sitting's end, Ctrl-C) came as the runs this one needs finished: they are complete, and a run
    // started now would stop before its first epoch, leaving a folder with nothing to resume.
    prepared.backbone?.dispose();
    throw new RunNotStartedError(`${config.name} was not started: the runs it needs first are complete, and the same command trains it`, null);
  }
  const started = prepared.preparedAt;
  const run = await createRun(ctx.resultsRoot, config, { name: config.name, now: started }).catch((error) => {
    prepared.backbone?.dispose();
    throw error;
  });
  const built = buildManifest({ run, config, backend, dataset, splits, projectRoot: ctx.projectRoot, startedAt: started });
  const manifest: RunManifest = {
    ...built,
    dataset: { ...built.dataset, skipped: skipped.summary },
    ...(init && { initFrom: { run: init.run.id, name: init.name, source: init.source, classifier: init.classifier } }),
    ...(distilled && {
      distill: {
        teachers: teachers.map((teacher, i) => ({
          run: teacher.run.id,
          name: teacher.config.name,
          source: teacher.origin,
          agreement: distilled.teacherAgreement[i],
          probabilities: distilled.probabilities[i],
        })),
        agreement: distilled.agreement,
      },
    }),
  };
  const { result: stopReason, manifest: final } = await withRun(run, manifest, {
    startedAt: started,
    log: ctx.log,
    work: async () => {
      if (skipped.lines.length > 0) {
        await writeRunJson(run, "skipped", dataset.problems);
        ctx.log(`  full list of skipped files: ${runPath(run, "skipped")}`);
      }
      ctx.log(`Run ${run.id} in ${run.dir}`);
      return await trainRunModel(config, run, prepared, null, ctx);
    },
  });
  return { run, manifest: final, stopReason };
}

/**
 * What a run trains on and with, found and loaded before its folder is
 * written: the dataset and its splits, the backend, a transfer backbone, the
 * starting weights and the teachers' targets. Shared by a new run and a
 * resumed one (resumeExperiment).
 */
interface PreparedRun {
  /** When preparation began: a new run's start time. */
  preparedAt: Date;
  backend: BackendInfo;
  /** A transfer config's backbone (the caller disposes it on failure; training takes it over); null otherwise. */
  backbone: Backbone | null;
  dataset: Dataset;
  splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
  /** The run's generator, after the splits were drawn. */
  rng: Rng;
  /** What the dataset load skipped, as lines to print and the manifest's summary. */
  skipped: { summary: DatasetProblemSummary; lines: string[] };
  /** `training.initFrom`'s run; null without one, and when resuming (the checkpoint holds the weights). */
  init: InitialWeights | null;
  teachers: SourceRun[];
  /** The teachers' targets for the training images; null without `training.distill`. */
  distilled: TeacherTargets | null;
  /** What keys scores of this data on this backend in the score cache, besides the model, images and views: the teachers' and the run's own. */
  scoredWith: Record<string, unknown>;
}

/**
 * Finds and loads what a run of `config` needs, checking the data before any
 * run folder is written: the starting weights' and teachers' runs are found
 * (or trained, as runs of their own), the backend started, the dataset
 * decoded and split, every class checked present, and the teachers' targets
 * computed.
 *
 * @param config The run config.
 * @param ctx See {@linkcode RunContext}.
 * @param options `initChain`: the initFrom/distill cycle guard; `resuming`: skip the starting weights (a checkpoint holds them).
 * @returns See {@linkcode PreparedRun}.
 */
async function prepareRun(
  config: RunConfig,
  ctx: RunContext,
  options: { initChain: readonly string[]; resuming: boolean },
): Promise<PreparedRun> {
  const { initChain } = options;
  const { root, reason } = await resolveDatasetRoot(config.dataset.root, { projectRoot: ctx.projectRoot, classes: config.dataset.classes });
  // The runs of the starting weights and of the teachers are found (or trained, as runs of their own) before this
  // run starts; this run's dataset is listed first, so a missing or empty folder fails before a source is trained for it.
  if (config.training.initFrom !== null || config.training.distill !== null) await discoverDataset(root, { classes: config.dataset.classes });
  const trainSource = (source: RunConfig, stopped?: RunHandle) =>
    stopped ? resumeExperiment(stopped.id, ctx) : runExperiment(source, ctx, [...initChain, experimentHash(config)]);
  const init = config.training.initFrom === null || options.resuming
    ? null
    : await resolveInitialWeights(config, ctx, { chain: initChain, train: trainSource });
  const teachers = config.training.distill === null ? [] : await resolveTeachers(config, ctx, { chain: initChain, train: trainSource });
  const preparedAt = new Date();
  const rng = makeRng(config.seed);
  ctx.log(reason);
  const backend = await selectBackend(config.backend, {
    log: ctx.log,
    precision: config.precision,
    oneDnn: trainingUsesOneDnn(config.model.family),
  });
  // A transfer backbone is read before anything else, so missing files fail before a run folder exists.
  const backbone = config.model.family === "transfer" ? await loadBackbone(config.model.backbone, { projectRoot: ctx.projectRoot }) : null;
  try {
    const dataset = await loadDataset(root, {
      ...datasetLoadOptions(config, ctx.cacheDir),
      onProgress: (done, total) => ctx.interactive && ctx.write(`\rDecoding images ${done}/${total}`),
    });
    const splits = limitedSplits(dataset, config, rng);
    ctx.log(
      `${dataset.synthetic ? "SYNTHETIC " : ""}data: train ${splits.train.count}, validation ${splits.validation.count}` +
        ` (${dataset.validationSource}), test ${splits.test?.count ?? 0}; fingerprint ${dataset.fingerprint.slice(0, 12)}`,
    );
    // Every configured class must be in every split, and what was skipped is said, before a run folder is written.
    checkClassCoverage(splits, { classes: config.dataset.classes, root });
    const skipped = describeDatasetProblems(dataset.problems);
    for (const line of skipped.lines) ctx.log(line);
    const scoredWith = { dataset: dataset.fingerprint, ...backendFacts(backend) };
    // The teachers score the training images before the run folder is written: a teacher that fails leaves no run behind.
    const distilled = config.training.distill === null ? null : await teacherTargets(teachers, splits.train, {
      classes: config.dataset.classes,
      temperature: config.training.distill.temperature,
      cacheDir: ctx.cacheDir,
      scoredWith,
      log: ctx.log,
      // Four teachers over 12 views each score 28,709 images for most of an hour: a log file needs its progress lines too.
      progress: (teacher) => passProgress(`Teacher ${teacher + 1}/${teachers.length}`, ctx),
      signal: ctx.signal,
    }).catch((error) => {
      // A stop (Ctrl-C, a sitting's end) during the teachers' pass, minutes for a large teacher over its views.
      if (!ctx.signal?.aborted) throw error;
      throw new RunNotStartedError(
        `${config.name} stopped while its teachers scored the training images, before its training: no run folder was ` +
          "written or changed, and the same command goes on (a teacher scored in full reads its scores from the cache)",
        null,
      );
    });
    return { preparedAt, backend, backbone, dataset, splits, rng, skipped, init, teachers, distilled, scoredWith };
  } catch (error) {
    backbone?.dispose();
    throw error;
  }
}

/**
 * The work inside a run's lifecycle: trains (from scratch, or a transfer
 * model), writes the plots, and removes the training checkpoint once the run
 * has completed. A from-scratch run saves a checkpoint after every epoch and,
 * given one, goes on from it.
 *
 * @param config The run config.
 * @param run The run folder.
 * @param prepared From {@linkcode prepareRun}.
 * @param resume The checkpoint to go on from, with the dropout layers' call counts; null starts afresh.
 * @param ctx See {@linkcode RunContext}.
 * @returns What withRun records: the stop reason, status and this process's seconds.
 */
async function trainRunModel(
  config: RunConfig,
  run: RunHandle,
  prepared: PreparedRun,
  resume: TrainingResume | null,
  ctx: RunContext,
): Promise<RunEnd<StopReason>> {
  const { dataset, splits, rng, backbone, backend, init, distilled } = prepared;
  // The run's own scores of validation and test go into the score cache, where an ensemble of it reads them.
  const facts = { run, dataset, splits, rng, scoring: { cacheDir: ctx.cacheDir, scoredWith: prepared.scoredWith, log: ctx.log } };
  const trained = backbone !== null
    ? await runTransfer(config, { ...facts, backbone, backend: backend.name, resume }, ctx)
    : await trainFromScratch(config, { ...facts, init, teacherRows: distilled?.rows ?? null, resume }, ctx);
  const { metrics, stopReason, history } = trained;
  await writeRunPlots(run, { metrics, history, classes: config.dataset.classes, synthetic: dataset.synthetic, images: ctx.imagePlots ?? true, log: ctx.log });
  const status = stopReason === "interrupted" ? "interrupted" : "completed";
  if (status === "completed") await removeCheckpoint(run);
  return { result: stopReason, status, trainSeconds: trained.trainSeconds, evalSeconds: trained.evalSeconds };
}

/**
 * Trains a model of a from-scratch family (src/models) on the images and
 * evaluates it: the non-transfer half of {@linkcode runExperiment}.
 */
async function trainFromScratch(
  config: RunConfig,
  facts: {
    run: RunHandle;
    dataset: Dataset;
    splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
    rng: Rng;
    /** The run whose weights this one starts from (`training.initFrom`); null: the builder's seeded initialisation. */
    init: InitialWeights | null;
    /** The teachers' target rows per training image (`training.distill`); null: the labels alone. */
    teacherRows: Float32Array | null;
    /** The checkpoint to go on from; null trains from the first epoch. */
    resume: TrainingResume | null;
    /** Where the run's scores are kept for later readers (see evaluateRun). */
    scoring: RunScoring;
  },
  ctx: RunContext,
): Promise<{ history: EpochLogs[]; stopReason: StopReason; metrics: RunMetrics; trainSeconds: number; evalSeconds: number }> {
  const { run, dataset, splits, rng, init, teacherRows, resume, scoring } = facts;
  const numClasses = config.dataset.classes.length;
  let model: tf.LayersModel | undefined;
  try {
    model = buildConfigModel(config);
    if (init) ctx.log(await applyInitialWeights(model, init, config.dataset.classes));
    if (resume) restoreDropoutCallCounts(model, resume.dropoutCalls);
    const trainStarted = performance.now();
    const trainedModel = model;
    const result = await fitStage({
      model,
      data: {
        train: withTeacherTargets(
          imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation }),
          teacherRows,
          config.training.distill?.weight ?? 0,
        ),
        validation: imageBatchSource(splits.validation, { numClasses, preprocessing: config.dataset.preprocessing, blurSigma: config.dataset.evalBlurSigma }),
      },
      training: config.training,
      epochs: config.training.epochs,
      recorded: true,
      resume: resume?.state ?? null,
      // The kept weights are scored over the config's views on validation after training, in the sitting too.
      scoringViews: ttaViews(config.tta).length,
    }, {
      run,
      rng,
      trainLabels: splits.train.labels,
      numClasses,
      saveBest: () => saveModel(trainedModel, runPath(run, "model")),
      onCheckpoint: checkpointSaver(run, config, trainedModel),
      write: ctx.write,
      interactive: ctx.interactive,
      signal: ctx.signal,
      callbacks: ctx.callbacks,
    });
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    if (result.stopReason === "interrupted") ctx.log("Interrupted: evaluating the best weights so far");
    const evalStarted = performance.now();
    await saveModel(model, runPath(run, "model"));
    const metrics = await evaluateRun(model, {
      splits, config, dataset, run, rng, history: result.history, keptEpoch: result.keptEpoch, stopReason: result.stopReason, scoring,
    });
    return { history: result.history, stopReason: result.stopReason, metrics, trainSeconds, evalSeconds: (performance.now() - evalStarted) / 1000 };
  } finally {
    model?.dispose();
  }
}

/**
 * The model of a from-scratch config, with the builder's seeded initialisation.
 *
 * @param config A run config whose family is not "transfer".
 * @returns A new model (the caller disposes it).
 * @throws {ConfigError} For a transfer config, whose model runTransfer builds from its backbone.
 * @example
 * ```ts
 * const model = buildConfigModel(parseRunConfig({ name: "x", model: { family: "small_cnn" } }));
 * ```
 */
export function buildConfigModel(config: RunConfig): tf.LayersModel {
  return buildModel(scratchModelConfig(config));
}

/** The training source as it is, or with the teachers' rows blended into its targets. */
function withTeacherTargets(source: BatchSource, rows: Float32Array | null, weight: number): BatchSource {
  return rows === null ? source : blendTargets(source, rows, weight);
}

/**
 * Goes on with an interrupted, failed or stale run from its checkpoint
 * (checkpoint.bin, written after every finished epoch of a run's recorded
 * training, transfer runs' included): the same config, data and seed; the
 * weights, optimizer slots, generator, learning rate, best weights so far and
 * callback states as they were after that epoch. Epochs of history.csv past the checkpoint (a crash
 * between the two writes) are dropped and trained again. The run is then
 * evaluated and written as a new run would be; the manifest keeps its start
 * time and adds an entry to `resumes`; its durations count the kept epochs'
 * seconds and this process's. Interrupted again, it can be resumed again.
 *
 * Everything is checked before the run folder is touched: the run exists and
 * is not completed or still running, config.json is the config it recorded,
 * it has a checkpoint of that config, and the dataset has the same
 * fingerprint.
 *
 * @param runId The run's id.
 * @param ctx See {@linkcode RunContext}.
 * @returns The run, its final manifest and why training stopped.
 * @throws {RunError} Saying what to do instead, when the run cannot be resumed.
 * @example
 * ```ts
 * const outcome = await resumeExperiment("20261205-070916-best_4class-e6bdf7", ctx);
 * console.log(outcome.manifest.status);
 * ```
 */
export async function resumeExperiment(runId: string, ctx: RunContext): Promise<RunOutcome> {
  const run = await openRun(ctx.resultsRoot, runId);
  const raw = await readRunJson<unknown>(run, "config");
  const manifest = await readRunJson<RunManifest>(run, "manifest");
  const again = `train it again as a new run with: deno task fer rerun ${run.id} --force`;
  if ((raw as { kind?: unknown } | null)?.kind === "ensemble") {
    throw new RunError(`Run ${run.id} is an ensemble: it trains nothing, so there is nothing to resume; make it again with: deno task fer rerun ${run.id} --force`);
  }
  if (manifest === undefined) throw new RunError(`Run ${run.id} has no ${RUN_FILES.manifest}: it stopped before training began; ${again}`);
  const { status } = await runState(run, manifest);
  if (status === "completed") {
    throw new RunError(
      `Run ${run.id} completed; there is nothing to resume. To train it further, start a new run from its weights: ` +
        `deno task fer run <config.json> --init-from ${run.id}`,
    );
  }
  if (status === "running") {
    const where = manifest.process ? ` (process ${manifest.process.pid} on ${manifest.process.host})` : "";
    throw new RunError(`Run ${run.id} is still running${where}; wait for it, or stop it (Ctrl-C) and resume it then`);
  }
  const edited = manifest.config === undefined ? [] : configDifferences(manifest.config, raw);
  if (edited.length > 0) {
    throw new RunError(
      `${run.id}/config.json differs from the config the run recorded in its manifest.json (edited after the run?):\n  ${edited.join("\n  ")}\n` +
        `A resumed run must go on with the config it started with; restore the file, or ${again}`,
    );
  }
  const config = parseRunConfig(raw, `${run.id}/config.json`);
  const bytes = await readCheckpoint(run);
  if (bytes === undefined) {
    throw new RunError(
      `Run ${run.id} has no ${RUN_FILES.checkpoint}: it stopped before its first epoch ended, or was made by a version ` +
        `that kept no checkpoints; ${again}`,
    );
  }
  const path = runPath(run, "checkpoint");
  // The header is checked first; the tensors are made once the backend has started (prepareRun).
  const decode = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      throw new RunError(`${(error as Error).message}; ${again}`);
    }
  };
  const { epochsDone, extra } = decode(() => readFitStateFacts(bytes, path));
  const facts = extra as Partial<CheckpointFacts>;
  if (facts.experiment !== experimentHash(config) || !Array.isArray(facts.dropoutCalls)) {
    throw new RunError(`${path} was saved by another config than ${run.id}/config.json; ${again}`);
  }
  if (epochsDone >= config.training.epochs) {
    ctx.log(`Run ${run.id} had finished all ${config.training.epochs} epochs; evaluating its model again`);
  }
  const prepared = await prepareRun(config, ctx, { initChain: [], resuming: true });
  let state: FitState;
  try {
    if (prepared.dataset.fingerprint !== manifest.dataset.fingerprint) {
      throw new RunError(
        `The dataset at ${prepared.dataset.root} has changed since run ${run.id} began (fingerprint ` +
          `${prepared.dataset.fingerprint.slice(0, 12)}, where the run recorded ${manifest.dataset.fingerprint.slice(0, 12)}): ` +
          `going on would train on other images; put the run's data back, or ${again}`,
      );
    }
    state = decode(() => decodeFitState(bytes, path)).state;
  } catch (error) {
    // Training takes a transfer run's backbone over; refused before it, the backbone is freed here.
    prepared.backbone?.dispose();
    throw error;
  }
  try {
    const backend = `${prepared.backend.name} (${prepared.backend.precision.used})`;
    const before = manifest.backend as { name?: string; precision?: { used?: string } };
    const backendBefore = `${before.name} (${before.precision?.used ?? "float32"})`;
    if (backend !== backendBefore) {
      ctx.log(`Note: the run began on ${backendBefore} and goes on with ${backend}; its figures will not match a run trained on one backend`);
    }
    const kept = await truncateHistory(run, state.epochsDone);
    const priorSeconds = kept.reduce((sum, row) => sum + (Number.isFinite(row.seconds) ? row.seconds : 0), 0);
    const resumedAt = new Date();
    const running: RunManifest = {
      ...manifest,
      status: "running",
      finishedAt: null,
      note: undefined,
      process: currentRunProcess(),
      resumes: [
        ...(manifest.resumes ?? []),
        { at: resumedAt.toISOString(), fromEpoch: state.epochsDone, after: status, code: codeVersion(ctx.projectRoot), backend },
      ],
    };
    ctx.log(`Resuming run ${run.id} (${status}) after epoch ${state.epochsDone} of ${config.training.epochs}, in ${run.dir}`);
    const { result: stopReason, manifest: final } = await withRun(run, running, {
      startedAt: resumedAt,
      priorSeconds,
      log: ctx.log,
      work: async () => {
        const end = await trainRunModel(config, run, prepared, { state, dropoutCalls: facts.dropoutCalls! }, ctx);
        return { ...end, trainSeconds: end.trainSeconds === null ? null : priorSeconds + end.trainSeconds };
      },
    });
    return { run, manifest: final, stopReason };
  } finally {
    disposeFitState(state);
  }
}
