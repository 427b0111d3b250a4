/**
 * The callbacks a config asks for, plus the run's own bookkeeping.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { Callback, type EpochLogs } from "../train/callback.ts";
import { cosineSchedule } from "../train/cosine_schedule.ts";
import { oneCycleSchedule } from "../train/one_cycle_schedule.ts";
import { earlyStopping } from "../train/early_stopping.ts";
import { keepBestWeights } from "../train/keep_best_weights.ts";
import { reduceLrOnPlateau } from "../train/reduce_lr_on_plateau.ts";
import type { TrainingConfig } from "./run_config.ts";
import { appendHistory, type RunHandle } from "./run_store.ts";

/** Appends each finished epoch to the run's history.csv. */
class HistoryWriter extends Callback {
  readonly #run: RunHandle;
  constructor(run: RunHandle) {
    super();
    this.#run = run;
  }
  override async onEpochEnd(epoch: number, logs: EpochLogs): Promise<void> {
    await appendHistory(this.#run, {
      epoch: epoch + 1,
      loss: logs.loss,
      accuracy: logs.accuracy,
      val_loss: logs.val_loss ?? NaN,
      val_accuracy: logs.val_accuracy ?? NaN,
      lr: logs.lr,
      seconds: logs.seconds,
    });
  }
}

/**
 * Makes the callbacks in the order they must run: progress, history,
 * learning-rate schedule, early stopping, keep-best (last, so it restores the
 * best weights after everything else has finished).
 *
 * @param training The training section.
 * @param run The run whose history is written.
 * @param hooks `saveBest` persists the model whenever validation improves (so
 *   an interrupted run keeps its best weights); `progress` draws progress;
 *   `extra` callbacks run right after it.
 * @returns The callbacks.
 * @example
 * ```ts
 * const callbacks = makeCallbacks(config.training, run, { saveBest: (m) => saveModel(m, dir), progress });
 * ```
 */
export function makeCallbacks(
  training: TrainingConfig,
  run: RunHandle,
  hooks: { saveBest: (model: tf.LayersModel) => Promise<void>; progress: Callback; extra?: Callback[] },
): Callback[] {
  const callbacks: Callback[] = [hooks.progress, ...(hooks.extra ?? []), new HistoryWriter(run)];
  const schedule = training.schedule;
  if (schedule.name === "reduce_on_plateau") {
    callbacks.push(reduceLrOnPlateau({ monitor: schedule.monitor, factor: schedule.factor, patience: schedule.patience, minLr: schedule.minLr }));
  } else if (schedule.name === "cosine") {
    callbacks.push(cosineSchedule({ baseLr: training.optimizer.learningRate, minLr: schedule.minLr, warmupEpochs: schedule.warmupEpochs }));
  } else if (schedule.name === "one_cycle") {
    const { warmupFraction, initialDivisor, finalDivisor, momentum } = schedule;
    callbacks.push(oneCycleSchedule({ maxLr: training.optimizer.learningRate, warmupFraction, initialDivisor, finalDivisor, momentum }));
  }
  if (training.earlyStopping) callbacks.push(earlyStopping(training.earlyStopping));
  if (training.keepBestOn) {
    callbacks.push(keepBestWeights({ monitor: training.keepBestOn, onImproved: (_epoch, ctx) => hooks.saveBest(ctx.model) }));
  }
  return callbacks;
}
