/**
 * The one fit wiring of a run: a model, its batches and the training
 * section become a `fit` call with the run's callbacks, optimizer, class
 * weights and generator. Models from scratch train in one stage; a transfer
 * model trains its head on precomputed features, or warms its head up and
 * then trains end to end (two stages).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { Rng } from "../core/seed.ts";
import type { BatchSource } from "../train/batch_source.ts";
import type { EpochLogs } from "../train/callback.ts";
import type { RunContext } from "./run_context.ts";
import { fit, type FitOptions, type StopReason } from "../train/fit.ts";
import type { FitState } from "../train/fit_state.ts";
import { KeepBestWeights } from "../train/keep_best_weights.ts";
import { progressBar } from "../train/progress_bar.ts";
import { resolveClassWeights } from "./class_weights.ts";
import { makeCallbacks } from "./make_callbacks.ts";
import { makeOptimizer } from "./make_optimizer.ts";
import type { TrainingConfig } from "./run_config.ts";
import type { RunHandle } from "./run_store.ts";

/** One call of `fit` in a run. */
export interface FitStage {
  /** The model this stage trains: the whole model, or a transfer model's head. */
  model: tf.LayersModel;
  /** Training and validation batches (images, or precomputed features). */
  data: { train: BatchSource; validation: BatchSource };
  /** The training section to use (a fine-tuning stage scales its learning rate). */
  training: TrainingConfig;
  epochs: number;
  /**
   * Whether these epochs are the run's: rows in history.csv, best weights
   * saved, early stopping and the schedule. A head warm-up is not.
   */
  recorded: boolean;
  /** The saved training state to go on from (a resumed run); null or absent starts afresh. */
  resume?: FitState | null;
  /**
   * Passes over the validation images that scoring the kept weights takes after this stage (the run's test-time
   * views), so that a sitting's time limit leaves room for it; absent when what follows is not such a pass.
   */
  scoringViews?: number;
}

/** How a stage ended. */
export interface StageResult {
  history: EpochLogs[];
  stopReason: StopReason;
  /** 1-based epoch whose weights the model holds (the best kept, or the last); 0 when nothing trained. */
  keptEpoch: number;
}

/** What a stage needs from its run: the folder, the labels for class weights, saving, and the run context's output, stop signal and extra callbacks. */
export interface StageContext extends Pick<RunContext, "write" | "interactive" | "signal" | "callbacks"> {
  run: RunHandle;
  rng: Rng;
  /** Training labels, for `training.classWeights`. */
  trainLabels: ArrayLike<number>;
  numClasses: number;
  /** Saves the run's model (called when validation improves, in recorded stages). */
  saveBest: () => Promise<void>;
  /** Saves the training state after each finished epoch of a recorded stage; absent saves none. */
  onCheckpoint?: (state: FitState) => Promise<void>;
}

/**
 * Trains one stage with `fit`: recorded stages get the run's callbacks
 * (history.csv, best weights, early stopping, schedule, progress), others
 * only a progress line. The optimizer is made here and disposed after.
 *
 * @param stage The model, batches, training section, epochs and whether the epochs are recorded.
 * @param ctx See {@linkcode StageContext}.
 * @returns History, stop reason and the kept epoch.
 * @example
 * ```ts
 * const { history, keptEpoch } = await fitStage(
 *   { model, data: { train, validation }, training: config.training, epochs: config.training.epochs, recorded: true },
 *   { run, rng, trainLabels: splits.train.labels, numClasses: 4, saveBest: () => saveModel(model, dir), write, interactive: false },
 * );
 * ```
 */
export async function fitStage(stage: FitStage, ctx: StageContext): Promise<StageResult> {
  const progress = progressBar({ write: ctx.write, interactive: ctx.interactive });
  const callbacks = stage.recorded
    ? makeCallbacks(stage.training, ctx.run, { saveBest: ctx.saveBest, progress, extra: ctx.callbacks ?? [] })
    : [progress];
  const optimizer = makeOptimizer(stage.training.optimizer, stage.recorded ? stage.training.schedule : undefined);
  try {
    const result = await fit(stage.model, stage.data, {
      ...trainingFitOptions(stage.training, ctx.trainLabels, ctx.numClasses),
      epochs: stage.epochs,
      optimizer,
      rng: ctx.rng,
      callbacks,
      signal: ctx.signal,
      resume: stage.resume ?? null,
      onCheckpoint: stage.recorded ? ctx.onCheckpoint : undefined,
      scoringViews: stage.scoringViews,
    });
    // KeepBestWeights restored its best epoch at train end; without it the model holds the last one.
    const best = callbacks.find((c): c is KeepBestWeights => c instanceof KeepBestWeights);
    const keptEpoch = best && best.bestEpoch >= 0 ? best.bestEpoch + 1 : result.history.length;
    return { history: result.history, stopReason: result.stopReason, keptEpoch };
  } finally {
    optimizer.dispose();
  }
}

/**
 * What a training section asks of each step of `fit`: batch size, label smoothing, class weights, L2, mixing and
 * the weight average. One place, so a run and a timing of its steps (estimateTrainingTime) train the same way.
 *
 * @param training The training section (defaults filled in).
 * @param trainLabels Training labels, for `classWeights`.
 * @param numClasses Number of classes.
 * @returns The fit options the section decides.
 * @example
 * ```ts
 * const options = trainingFitOptions(config.training, splits.train.labels, 4);
 * await fit(model, data, { ...options, epochs: 1, optimizer, rng });
 * ```
 */
export function trainingFitOptions(
  training: TrainingConfig,
  trainLabels: ArrayLike<number>,
  numClasses: number,
): Pick<FitOptions, "batchSize" | "labelSmoothing" | "classWeights" | "l2" | "mix" | "weightAverage"> {
  return {
    batchSize: training.batchSize,
    labelSmoothing: training.labelSmoothing,
    classWeights: resolveClassWeights(training.classWeights, trainLabels, numClasses),
    l2: training.l2,
    mix: training.mix,
    weightAverage: training.weightAverage,
  };
}
