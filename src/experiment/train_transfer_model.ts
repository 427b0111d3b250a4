/**
 * Trains a built transfer model the way its mode asks, in stages of the
 * run's one fit wiring (fit_stage.ts): the head on precomputed features, or a
 * head warm-up and then the whole model on images.
 *
 * @module
 */
import type { ImageSet } from "../data/image_set.ts";
import type { TransferSection } from "../transfer/transfer_section.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { saveModel } from "./model_files.ts";
import type { RunConfig } from "./run_config.ts";
import { type RunHandle, runPath } from "./run_store.ts";
import type { EpochLogs } from "../train/callback.ts";
import type { RunContext } from "./run_context.ts";
import type { StopReason } from "../train/fit.ts";
import { fitStage, type StageContext } from "./fit_stage.ts";
import type { Rng } from "../core/seed.ts";
import type { TransferModel } from "../transfer/build_transfer_model.ts";
import type { FeatureSplit } from "./evaluate_head.ts";
import { featureBatchSource } from "../transfer/feature_batch_source.ts";
import { restoreDropoutCallCounts } from "../models/seeded_dropout.ts";
import { checkpointSaver, type TrainingResume } from "./run_checkpoint.ts";

/** What a transfer run needs from runExperiment's context. */
export type TransferContext = Pick<RunContext, "projectRoot" | "cacheDir" | "log" | "write" | "interactive" | "signal" | "callbacks">;

/** What {@linkcode trainTransferModel} returns. */
export interface TransferTraining {
  /** Logs of the epochs history.csv records (the head in frozen mode, end-to-end epochs in fine_tune). */
  history: EpochLogs[];
  stopReason: StopReason;
  /** 1-based epoch whose weights the model holds; 0 when nothing trained. */
  keptEpoch: number;
}

/**
 * Trains the model: nothing in pretrained mode; the head on cached features
 * in frozen mode; in fine_tune mode first the head on cached features for
 * `headWarmupEpochs` (not recorded in history.csv), then the whole model on
 * images (augmentation applies) with the learning rate times `learningRateScale`.
 * The recorded stage (the head in frozen mode, the end-to-end epochs in
 * fine_tune) saves a checkpoint after each epoch, and a resumed run goes on
 * from it: a fine-tuning resumed after its warm-up does not warm up again
 * (the checkpoint holds the warmed-up head).
 *
 * @param built The model from buildTransferModel.
 * @param facts Config and its transfer section, the run, the image splits, their features (null when
 *   none were computed), the generator, the checkpoint to go on from (null: none) and the run's context.
 * @returns History, stop reason and kept epoch.
 * @example
 * ```ts
 * const { history } = await trainTransferModel(built, { config, section, run, splits, featureSplits, rng, resume: null, ctx });
 * ```
 */
export async function trainTransferModel(
  built: TransferModel,
  facts: {
    config: RunConfig;
    section: TransferSection;
    run: RunHandle;
    splits: { train: ImageSet; validation: ImageSet };
    featureSplits: { train: FeatureSplit; validation: FeatureSplit } | null;
    rng: Rng;
    resume: TrainingResume | null;
    ctx: TransferContext;
  },
): Promise<TransferTraining> {
  const { config, section, run, splits, featureSplits, rng, resume, ctx } = facts;
  if (section.mode === "pretrained") return { history: [], stopReason: "completed", keptEpoch: 0 };
  // The recorded stage's model: the checkpoint saves and restores its weights (the head's alone in frozen mode).
  const recordedModel = section.mode === "frozen" ? built.head! : built.model;
  if (resume) restoreDropoutCallCounts(recordedModel, resume.dropoutCalls);
  const numClasses = config.dataset.classes.length;
  const stageContext: StageContext = {
    run,
    rng,
    trainLabels: splits.train.labels,
    numClasses,
    // The whole model is saved, even while only its head trains: the run's model maps images to probabilities.
    saveBest: () => saveModel(built.model, runPath(run, "model")),
    write: ctx.write,
    interactive: ctx.interactive,
    signal: ctx.signal,
    callbacks: ctx.callbacks,
  };
  // The kept weights are scored after the recorded stage, one view (a transfer run takes no tta), on the features
  // in frozen mode and on the images after fine-tuning: timed as that stage's validation, so a sitting leaves room.
  const recorded = { recorded: true, resume: resume?.state ?? null, scoringViews: 1 } as const;
  const recordedContext: StageContext = { ...stageContext, onCheckpoint: checkpointSaver(run, config, recordedModel) };
  const featureSources = featureSplits && {
    train: featureBatchSource(featureSplits.train.matrix, featureSplits.train.set.labels, { numClasses }),
    validation: featureBatchSource(featureSplits.validation.matrix, featureSplits.validation.set.labels, { numClasses }),
  };
  const epochs = config.training.epochs;
  if (section.mode === "frozen") {
    return await fitStage({ model: recordedModel, data: featureSources!, training: config.training, epochs, ...recorded }, recordedContext);
  }

  if (resume) {
    ctx.log("Head warm-up: done before the checkpoint");
  } else if (featureSources && section.headWarmupEpochs > 0) {
    ctx.log(`Head warm-up: ${section.headWarmupEpochs} epochs on frozen features`);
    // The warm-up trains on plain feature vectors: CutMix needs images, and the mix is the fine-tuning's regulariser.
    const warmup = await fitStage(
      { model: built.head!, data: featureSources, training: { ...config.training, mix: null }, epochs: section.headWarmupEpochs, recorded: false },
      stageContext,
    );
    const last = warmup.history.at(-1);
    ctx.log(`Head warm-up done: val_accuracy ${last?.val_accuracy?.toFixed(4) ?? "n/a"}`);
    if (warmup.stopReason === "interrupted") return { history: [], stopReason: "interrupted", keptEpoch: 0 };
  }
  const optimizer = { ...config.training.optimizer, learningRate: config.training.optimizer.learningRate * section.learningRateScale };
  ctx.log(`Fine-tuning end to end at learning rate ${optimizer.learningRate}`);
  const images = {
    train: imageBatchSource(splits.train, { numClasses, preprocessing: config.dataset.preprocessing, augmentation: config.dataset.augmentation }),
    validation: imageBatchSource(splits.validation, { numClasses, preprocessing: config.dataset.preprocessing, blurSigma: config.dataset.evalBlurSigma }),
  };
  return await fitStage({ model: recordedModel, data: images, training: { ...config.training, optimizer }, epochs, ...recorded }, recordedContext);
}
