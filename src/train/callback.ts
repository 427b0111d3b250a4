/**
 * The callback contract of {@linkcode fit}: empty hooks named for when they run.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** Values logged per epoch. Validation keys start with `val_`. */
export interface EpochLogs {
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  /** Learning rate used during the epoch. */
  lr: number;
  /** Wall-clock seconds of the epoch (training and validation). */
  seconds: number;
}

/** Values logged per batch. */
export interface BatchLogs {
  /** The batch's training loss: the data's loss (label smoothing and class weights included) plus the L2 penalty. */
  loss: number;
  /** The L2 penalty's part of `loss` (0 or absent without L2). */
  penalty?: number;
  accuracy: number;
  /** Images in this batch. */
  size: number;
}

/**
 * What hooks act on. Callbacks change training only through it: they stop it
 * (`stopTraining = true`), change the learning rate, or read/replace weights.
 */
export interface TrainContext {
  model: tf.LayersModel;
  /** Epochs requested. */
  epochs: number;
  /** Batches per epoch. */
  batchesPerEpoch: number;
  /** Set to true to end training after the current epoch. */
  stopTraining: boolean;
  /** The optimizer's learning rate now. */
  getLearningRate(): number;
  /** Changes the learning rate from the next batch on. */
  setLearningRate(lr: number): void;
  /**
   * Changes the optimizer's momentum (Adam's beta1, SGD's or RMSProp's momentum) from the next batch on.
   * @throws Error when the optimizer has no momentum term (plain SGD, RMSProp without momentum).
   */
  setMomentum(momentum: number): void;
  /**
   * How many passes over the validation batches scoring the kept weights takes once training ends (the run's
   * test-time views; absent: none counted): a sitting's time limit leaves room for it.
   */
  scoringViews?: number;
}

/**
 * What a callback carries from one epoch to the next, for a training
 * checkpoint (src/train/fit_state.ts): numbers, and tensors it owns (the
 * checkpoint reads them and the callback keeps them).
 */
export interface CallbackState {
  values: Record<string, number>;
  tensors?: tf.Tensor[];
}

/**
 * Base class: every hook does nothing. Subclasses override what they need and
 * reset their state in `onTrainBegin`. A callback whose behaviour depends on
 * earlier epochs (a plateau count, the best weights) names its state with
 * `checkpointKey` and saves and restores it, so a resumed training goes on
 * as if it had never stopped.
 */
export class Callback {
  /** Name of this callback's state in a training checkpoint; null when it keeps none between epochs. */
  get checkpointKey(): string | null {
    return null;
  }
  /** The state to save after an epoch; null when it keeps none. */
  checkpointState(): CallbackState | null {
    return null;
  }
  /** Puts back a state saved by `checkpointState` (called after `onTrainBegin`, before the first resumed epoch). */
  restoreCheckpointState(_state: CallbackState, _ctx: TrainContext): void {}
  /** Called once before the first epoch. */
  onTrainBegin(_ctx: TrainContext): void | Promise<void> {}
  /**
   * Called once after `onTrainBegin` when training goes on from a checkpoint
   * (src/train/fit_state.ts), with the saved epochs' logs: a display can
   * show them before the first resumed epoch.
   */
  onTrainResume(_history: readonly EpochLogs[], _ctx: TrainContext): void | Promise<void> {}
  /** Called before each epoch (0-based). */
  onEpochBegin(_epoch: number, _ctx: TrainContext): void | Promise<void> {}
  /** Called after each batch (0-based within the epoch). */
  onBatchEnd(_batch: number, _logs: BatchLogs, _ctx: TrainContext): void | Promise<void> {}
  /** Called after each epoch with its logs. */
  onEpochEnd(_epoch: number, _logs: EpochLogs, _ctx: TrainContext): void | Promise<void> {}
  /** Called once after the last epoch, also when training stopped early or was interrupted. */
  onTrainEnd(_ctx: TrainContext): void | Promise<void> {}
}

/**
 * Reads the monitored key from epoch logs.
 *
 * @param logs Epoch logs.
 * @param monitor Key to read.
 * @returns The value.
 * @throws Error naming the keys that do exist when the key is missing.
 * @example
 * ```ts
 * console.assert(readMonitor({ loss: 1, accuracy: 0.5, lr: 0.1, seconds: 1 }, "loss") === 1);
 * ```
 */
export function readMonitor(logs: EpochLogs, monitor: keyof EpochLogs): number {
  const value = logs[monitor];
  if (value === undefined) {
    const available = Object.keys(logs).filter((k) => logs[k as keyof EpochLogs] !== undefined).join(", ");
    throw new Error(`No metric ${monitor} in logs; available: ${available}`);
  }
  return value;
}
