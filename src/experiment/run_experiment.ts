/**
 * Runs one experiment config end to end and leaves a run folder:
 * config -> dataset -> backend -> model -> train -> evaluate -> run folder.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { ImageSet } from "../data/image_set.ts";
import { type Dataset, loadDataset } from "../data/load_dataset.ts";
import { limitImageSet } from "../data/limit_image_set.ts";
import { checkClassCoverage, describeDatasetProblems } from "../data/dataset_problems.ts";
import { selectBackend } from "../backend/select_backend.ts";
import { buildModel } from "../models/build_model.ts";
import { fit, type StopReason } from "../train/fit.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import { progressBar } from "../train/progress_bar.ts";
import type { Callback, EpochLogs } from "../train/callback.ts";
import { KeepBestWeights } from "../train/keep_best_weights.ts";
import { resolveClassWeights } from "./class_weights.ts";
import { ConfigError } from "../core/errors.ts";
import { loadBackbone } from "../transfer/load_backbone.ts";
import { runTransfer } from "./run_transfer.ts";
import { evaluateRun } from "./evaluate_run.ts";
import { type RunMetrics } from "./run_metrics.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { makeCallbacks } from "./make_callbacks.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import { saveModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import { buildManifest } from "./build_manifest.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import type { RunManifest } from "./run_manifest.ts";
import { resolveDatasetRoot } from "./resolve_dataset_root.ts";
import { createRun, runPath, type RunHandle, writeRunJson } from "./run_store.ts";
import { writeRunPlots } from "./write_run_plots.ts";

/** What a run needs from its caller: paths, output and the stop signal. */
export interface RunContext {
  /** The project folder (dataset "auto" paths and git are relative to it). */
  projectRoot: string;
  /** Where runs are stored (`<resultsRoot>/runs/<id>`). */
  resultsRoot: string;
  /** Decoded-dataset cache folder; null disables the cache. */
  cacheDir: string | null;
  /** Prints one line for the user. */
  log: (line: string) => void;
  /** Writes progress text without a newline. */
  write: (text: string) => void;
  /** True when `write` goes to a terminal (progress redraws in place). */
  interactive: boolean;
  /** Aborting stops training cleanly; the run is marked interrupted. */
  signal?: AbortSignal;
  /** Render PNG/SVG plots with Chromium (HTML plots are always written). @default true */
  imagePlots?: boolean;
  /** Extra training callbacks (e.g. a notebook's live learning curves), run after the progress line. @default [] */
  callbacks?: Callback[];
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
 * them; at the end metrics.json, predictions.csv, the model and the plots are
 * written, and the manifest is marked completed or interrupted. A failure
 * marks the manifest "failed" with the error and rethrows. Transfer configs
 * (`model.family` "transfer") train and evaluate through runTransfer
 * (src/transfer), which also checks the predictions for collapse.
 *
 * @param config A config from parseRunConfig.
 * @param ctx See {@linkcode RunContext}.
 * @returns The run, its final manifest and why training stopped.
 * @example
 * ```ts
 * const outcome = await runExperiment(parseRunConfig(json), { projectRoot: ".", resultsRoot: "results", cacheDir: ".cache/datasets", log: console.log, write: (t) => Deno.stderr.writeSync(new TextEncoder().encode(t)), interactive: false });
 * ```
 */
export async function runExperiment(config: RunConfig, ctx: RunContext): Promise<RunOutcome> {
  const started = new Date();
  const rng = makeRng(config.seed);
  const { root, reason } = await resolveDatasetRoot(config.dataset.root, { projectRoot: ctx.projectRoot, classes: config.dataset.classes });
  ctx.log(reason);
  const backend = await selectBackend(config.backend, { log: ctx.log });
  // A transfer backbone is read before anything else, so missing files fail before a run folder exists.
  const backbone = config.model.family === "transfer" ? await loadBackbone(config.model.backbone, { projectRoot: ctx.projectRoot }) : null;
  const dataset = await loadDataset(root, {
    ...datasetLoadOptions(config, ctx.cacheDir),
    onProgress: (done, total) => ctx.interactive && ctx.write(`\rDecoding images ${done}/${total}`),
  }).catch((error) => {
    backbone?.dispose();
    throw error;
  });
  const limits = config.dataset.limitPerSplit;
  const splits = {
    train: limits?.train ? limitImageSet(dataset.splits.train, limits.train, rng) : dataset.splits.train,
    validation: limits?.validation ? limitImageSet(dataset.splits.validation, limits.validation, rng) : dataset.splits.validation,
    test: dataset.splits.test && limits?.test ? limitImageSet(dataset.splits.test, limits.test, rng) : dataset.splits.test,
  };
  ctx.log(
    `${dataset.synthetic ? "SYNTHETIC " : ""}data: train ${splits.train.count}, validation ${splits.validation.count}` +
      ` (${dataset.validationSource}), test ${splits.test?.count ?? 0}; fingerprint ${dataset.fingerprint.slice(0, 12)}`,
  );

  // Every configured class must be in every split, and what was skipped is said, before a run folder exists.
  try {
    checkClassCoverage(splits, { classes: config.dataset.classes, root });
  } catch (error) {
    backbone?.dispose();
    throw error;
  }
  const skipped = describeDatasetProblems(dataset.problems);
  for (const line of skipped.lines) ctx.log(line);

  const run = await createRun(ctx.resultsRoot, config, { name: config.name, now: started });
  let manifest = buildManifest({ run, config, backend, dataset, splits, projectRoot: ctx.projectRoot, startedAt: started });
  manifest = { ...manifest, dataset: { ...manifest.dataset, skipped: skipped.summary } };
  await writeRunJson(run, "manifest", manifest);
  if (skipped.lines.length > 0) {
    await writeRunJson(run, "skipped", dataset.problems);
    ctx.log(`  full list of skipped files: ${runPath(run, "skipped")}`);
  }
  ctx.log(`Run ${run.id} in ${run.dir}`);

  try {
    const facts = { run, dataset, splits, rng };
    const trained = backbone !== null
      ? await runTransfer(config, { ...facts, backbone, backend: backend.name }, ctx)
      : await trainFromScratch(config, facts, ctx);
    const { metrics, stopReason, history } = trained;
    await writeRunPlots(run, { metrics, history, classes: config.dataset.classes, synthetic: dataset.synthetic, images: ctx.imagePlots ?? true, log: ctx.log });
    const finished = new Date();
    manifest = {
      ...manifest,
      status: stopReason === "interrupted" ? "interrupted" : "completed",
      finishedAt: finished.toISOString(),
      durations: { totalSeconds: (finished.getTime() - started.getTime()) / 1000, trainSeconds: trained.trainSeconds, evalSeconds: trained.evalSeconds },
    };
    await writeRunJson(run, "manifest", manifest);
    return { run, manifest, stopReason };
  } catch (error) {
    manifest = { ...manifest, status: "failed", finishedAt: new Date().toISOString(), note: String((error as Error).message ?? error) };
    // On a full disk this write can fail too; then the run's status is derived
    // instead: once this process has exited, list and show report it stale.
    await writeRunJson(run, "manifest", manifest).catch((writeError: Error) => {
      ctx.log(`Could not mark run ${run.id} failed in its manifest.json (${writeError.message}); fer list will report it stale`);
    });
    throw error;
  }
}

/**
 * Trains a model of a from-scratch family (src/models) on the images and
 * evaluates it: the non-transfer half of {@linkcode runExperiment}.
 */
async function trainFromScratch(
  config: RunConfig,
  facts: { run: RunHandle; dataset: Dataset; splits: { train: ImageSet; validation: ImageSet; test?: ImageSet }; rng: Rng },
  ctx: RunContext,
): Promise<{ history: EpochLogs[]; stopReason: StopReason; metrics: RunMetrics; trainSeconds: number; evalSeconds: number }> {
  if (config.model.family === "transfer") throw new ConfigError('Transfer models are trained by runTransfer; model.family "transfer" cannot train from scratch');
  const { run, dataset, splits, rng } = facts;
  const numClasses = config.dataset.classes.length;
  let model: tf.LayersModel | undefined;
  let optimizer: tf.Optimizer | undefined;
  try {
    model = buildModel({
      ...config.model,
      inputShape: [config.dataset.size, config.dataset.size, config.dataset.channels],
      numClasses,
      seed: config.seed,
    });
    const callbacks = makeCallbacks(config.training, run, {
      saveBest: (m) => saveModel(m, runPath(run, "model")),
      progress: progressBar({ write: ctx.write, interactive: ctx.interactive }),
      extra: ctx.callbacks ?? [],
    });
    optimizer = makeOptimizer(config.training.optimizer);
    const trainStarted = performance.now();
    const result = await fit(
      model,
      {
        train: imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation }),
        validation: imageBatchSource(splits.validation, { numClasses, preprocessing: config.dataset.preprocessing, blurSigma: config.dataset.evalBlurSigma }),
      },
      {
        epochs: config.training.epochs,
        batchSize: config.training.batchSize,
        optimizer,
        rng,
        callbacks,
        labelSmoothing: config.training.labelSmoothing,
        classWeights: resolveClassWeights(config.training.classWeights, splits.train.labels, numClasses),
        l2: config.training.l2,
        signal: ctx.signal,
      },
    );
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    if (result.stopReason === "interrupted") ctx.log("Interrupted: evaluating the best weights so far");
    const evalStarted = performance.now();
    await saveModel(model, runPath(run, "model"));
    // KeepBestWeights restored its best epoch at train end; without it the model holds the last one.
    const best = callbacks.find((c): c is KeepBestWeights => c instanceof KeepBestWeights);
    const keptEpoch = best && best.bestEpoch >= 0 ? best.bestEpoch + 1 : result.history.length;
    const metrics = await evaluateRun(model, {
      splits, config, dataset, run, rng, history: result.history, keptEpoch, stopReason: result.stopReason,
    });
    return { ...result, metrics, trainSeconds, evalSeconds: (performance.now() - evalStarted) / 1000 };
  } finally {
    model?.dispose();
    optimizer?.dispose();
  }
}
