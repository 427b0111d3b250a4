/**
 * Trains a built transfer model the way its mode asks, through the one
 * training loop (`fit`) and the run's usual callbacks.
 *
 * @module
 */
import type { ImageSet } from "../data/image_set.ts";
import type { TransferSection } from "../transfer/transfer_section.ts";
import { resolveClassWeights } from "./class_weights.ts";
import { imageBatchSource } from "../train/image_batch_source.ts";
import { makeCallbacks } from "./make_callbacks.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import { saveModel } from "./model_files.ts";
import type { RunConfig, TrainingConfig } from "./run_config.ts";
import { type RunHandle, runPath } from "./run_store.ts";
import type { BatchSource } from "../train/batch_source.ts";
import type { Callback, EpochLogs } from "../train/callback.ts";
import { fit, type StopReason } from "../train/fit.ts";
import { KeepBestWeights } from "../train/keep_best_weights.ts";
import { progressBar } from "../train/progress_bar.ts";
import type { Rng } from "../core/seed.ts";
import type { TransferModel } from "../transfer/build_transfer_model.ts";
import type { FeatureSplit } from "./evaluate_head.ts";
import { featureBatchSource } from "../transfer/feature_batch_source.ts";

/** What a transfer run needs from runExperiment's context. */
export interface TransferContext {
  projectRoot: string;
  /** Decoded-dataset cache folder; features go to `<cacheDir>/features`. null disables both. */
  cacheDir: string | null;
  log: (line: string) => void;
  write: (text: string) => void;
  interactive: boolean;
  signal?: AbortSignal;
  callbacks?: Callback[];
}

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
 *
 * @param built The model from buildTransferModel.
 * @param facts Config and its transfer section, the run, the image splits, their features (null when
 *   none were computed), the generator and the run's context.
 * @returns History, stop reason and kept epoch.
 * @example
 * ```ts
 * const { history } = await trainTransferModel(built, { config, section, run, splits, featureSplits, rng, ctx });
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
    ctx: TransferContext;
  },
): Promise<TransferTraining> {
  const { config, section, run, splits, featureSplits, rng, ctx } = facts;
  if (section.mode === "pretrained") return { history: [], stopReason: "completed", keptEpoch: 0 };
  const numClasses = config.dataset.classes.length;
  const progress = () => progressBar({ write: ctx.write, interactive: ctx.interactive });
  const featureSources = featureSplits && {
    train: featureBatchSource(featureSplits.train.matrix, featureSplits.train.set.labels, { numClasses }),
    validation: featureBatchSource(featureSplits.validation.matrix, featureSplits.validation.set.labels, { numClasses }),
  };
  const train = async (
    model: typeof built.model,
    data: { train: BatchSource; validation: BatchSource },
    training: TrainingConfig,
    options: { epochs: number; recorded: boolean },
  ): Promise<TransferTraining> => {
    const callbacks = options.recorded
      ? makeCallbacks(training, run, { saveBest: () => saveModel(built.model, runPath(run, "model")), progress: progress(), extra: ctx.callbacks ?? [] })
      : [progress()];
    const optimizer = makeOptimizer(training.optimizer);
    try {
      const result = await fit(model, data, {
        epochs: options.epochs,
        batchSize: training.batchSize,
        optimizer,
        rng,
        callbacks,
        labelSmoothing: training.labelSmoothing,
        classWeights: resolveClassWeights(training.classWeights, splits.train.labels, numClasses),
        l2: training.l2,
        signal: ctx.signal,
      });
      const best = callbacks.find((c): c is KeepBestWeights => c instanceof KeepBestWeights);
      const keptEpoch = best && best.bestEpoch >= 0 ? best.bestEpoch + 1 : result.history.length;
      return { ...result, keptEpoch };
    } finally {
      optimizer.dispose();
    }
  };

  if (section.mode === "frozen") return await train(built.head!, featureSources!, config.training, { epochs: config.training.epochs, recorded: true });

  if (featureSources && section.headWarmupEpochs > 0) {
    ctx.log(`Head warm-up: ${section.headWarmupEpochs} epochs on frozen features`);
    const warmup = await train(built.head!, featureSources, config.training, { epochs: section.headWarmupEpochs, recorded: false });
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
  return await train(built.model, images, { ...config.training, optimizer }, { epochs: config.training.epochs, recorded: true });
}
