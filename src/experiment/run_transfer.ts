/**
 * The training and evaluation part of a transfer run, called by
 * runExperiment once the run folder exists: frozen (cached features and a
 * trained head), fine_tune (head warm-up, then the last backbone layers
 * train at a lower rate) or pretrained (the packaged classifier as it is).
 * Every mode saves an image-to-probabilities model, writes metrics.json and
 * predictions.csv, and checks the predictions for collapse.
 *
 * @module
 */
import type { Dataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import { ConfigError } from "../core/errors.ts";
import { evaluateRun, type RunScoring } from "./evaluate_run.ts";
import type { RunMetrics, TransferRunMetrics } from "./run_metrics.ts";
import { saveModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import { runPath, type RunHandle } from "./run_store.ts";
import type { EpochLogs } from "../train/callback.ts";
import type { StopReason } from "../train/fit.ts";
import type { Rng } from "../core/seed.ts";
import { buildTransferModel, type TransferModel } from "../transfer/build_transfer_model.ts";
import { collapseWarnings } from "../transfer/collapse_warnings.ts";
import { evaluateHead } from "./evaluate_head.ts";
import type { Backbone } from "../transfer/load_backbone.ts";
import { precomputeFeatures } from "./precompute_features.ts";
import { type TransferContext, trainTransferModel } from "./train_transfer_model.ts";
import type { TrainingResume } from "./run_checkpoint.ts";

/** What {@linkcode runTransfer} returns to runExperiment. */
export interface TransferRunResult {
  history: EpochLogs[];
  stopReason: StopReason;
  metrics: TransferRunMetrics;
  trainSeconds: number;
  evalSeconds: number;
}

/**
 * Trains (or not, in pretrained mode) and evaluates the transfer model the config describes.
 *
 * @param config The run config; its model section is the transfer family.
 * @param facts The run, dataset, splits after limits, the loaded backbone, generator, backend name and where its scores are kept.
 * @param ctx See {@linkcode TransferContext}.
 * @returns History, stop reason, metrics (written) and timings.
 * @throws {ConfigError} When the backbone's files are missing or the config does not fit the backbone.
 * @example
 * ```ts
 * const result = await runTransfer(config, { run, dataset, splits, backbone, rng, backend: "wasm", resume: null, scoring }, ctx);
 * console.log(result.metrics.validation.accuracy, result.metrics.warnings);
 * ```
 */
export async function runTransfer(
  config: RunConfig,
  facts: {
    run: RunHandle;
    dataset: Dataset;
    splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
    /** The loaded backbone (see loadBackbone); disposed here. */
    backbone: Backbone;
    rng: Rng;
    backend: string;
    /** The checkpoint to go on from (a resumed run); null trains from the start. */
    resume: TrainingResume | null;
    /** Where a fine-tuned run's scores are kept for later readers (see evaluateRun); a frozen run's head is scored on features, not kept. */
    scoring: RunScoring;
  },
  ctx: TransferContext,
): Promise<TransferRunResult> {
  const section = config.model;
  const { run, dataset, splits, rng, backbone, resume } = facts;
  if (section.family !== "transfer") {
    backbone.dispose();
    throw new ConfigError(`runTransfer needs model.family "transfer", found "${section.family}"`);
  }
  const classes = config.dataset.classes;
  let built: TransferModel | undefined;
  try {
    built = buildTransferModel(backbone, {
      inputShape: [config.dataset.size, config.dataset.size, config.dataset.channels],
      inputScale: config.dataset.preprocessing === "scale_0_1" ? 255 : 1,
      classes,
      mode: section.mode,
      head: section.head,
      unfreezeLast: section.unfreezeLast,
      seed: config.seed,
    });
    const width = built.extractor ? built.extractor.outputs[0].shape[1] as number : null;
    ctx.log(
      `Transfer: ${backbone.name} (${backbone.kind}, input ${backbone.inputSize}x${backbone.inputSize}x${backbone.channels}` +
        `${width ? `, ${width} features` : ""}), mode ${section.mode}` +
        (section.mode === "fine_tune" ? `, last ${built.trainableBackboneLayers} of ${built.backboneLayers.length} backbone layers train` : ""),
    );
    const features = await precomputeFeatures(built, { config, section, dataset, splits, backbone, rng, backend: facts.backend }, ctx);

    const trainStarted = performance.now();
    const trained = await trainTransferModel(built, { config, section, run, splits, featureSplits: features.splits, rng, resume, ctx });
    if (trained.stopReason === "interrupted") ctx.log("Interrupted: evaluating the best weights so far");
    const trainSeconds = (performance.now() - trainStarted) / 1000 + features.seconds;
    const evalStarted = performance.now();
    await saveModel(built.model, runPath(run, "model"));
    const transfer: TransferRunMetrics["transfer"] = {
      backbone: backbone.name,
      kind: backbone.kind,
      mode: section.mode,
      features: width,
      trainableBackboneLayers: built.trainableBackboneLayers,
      featureCache: features.cacheUse,
      featureSeconds: features.seconds,
    };
    // The collapse check and what the backbone did go into metrics.json with the metrics, written once.
    const complete = (metrics: RunMetrics) => withCollapseCheck(metrics, { classes, transfer, log: ctx.log });
    const common = { run, rng, stopReason: trained.stopReason, keptEpoch: trained.keptEpoch, complete };
    const metrics = section.mode === "frozen"
      ? await evaluateHead(built.head!, {
        ...common,
        splits: { validation: features.splits!.validation, test: features.splits!.test },
        classes,
        synthetic: dataset.synthetic,
        leakage: dataset.leakage,
        epochsTrained: trained.history.length,
      })
      : await evaluateRun(built.model, { ...common, splits, config, dataset, history: trained.history, scoring: facts.scoring });
    return { history: trained.history, stopReason: trained.stopReason, metrics, trainSeconds, evalSeconds: (performance.now() - evalStarted) / 1000 };
  } finally {
    built?.dispose();
    backbone.dispose();
  }
}

/** Adds the collapse check (logged loudly, and kept as warnings) and the transfer facts to a transfer run's metrics. */
function withCollapseCheck(
  metrics: RunMetrics,
  facts: { classes: readonly string[]; transfer: TransferRunMetrics["transfer"]; log: (line: string) => void },
): TransferRunMetrics {
  const warnings = collapseWarnings({ validation: metrics.validation, test: metrics.test }, facts.classes);
  for (const warning of warnings) {
    facts.log("!".repeat(72));
    facts.log(`WARNING: ${warning}`);
    facts.log("!".repeat(72));
  }
  return { ...metrics, warnings, transfer: facts.transfer };
}
