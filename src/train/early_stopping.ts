/**
 * Stops training when the monitored metric stops improving.
 *
 * @module
 */
import { type TrackerOptions, TrackerCallback } from "./_tracker_callback.ts";
import type { EpochLogs, TrainContext } from "./callback.ts";

/** Options of {@linkcode earlyStopping}. */
export interface EarlyStoppingOptions extends TrackerOptions {
  /** Epochs without improvement before training stops. @default 10 */
  patience?: number;
}

/** Stops training after `patience` epochs without improvement. */
export class EarlyStopping extends TrackerCallback {
  readonly patience: number;
  /** Epoch (0-based) at which training was stopped; -1 when it was not. */
  stoppedEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    super(options);
    this.patience = options.patience ?? 10;
  }

  override onTrainBegin(ctx: TrainContext): void {
    super.onTrainBegin(ctx);
    this.stoppedEpoch = -1;
  }

  override get checkpointKey(): string {
    return "early_stopping";
  }

  override onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    this.track(logs);
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
    }
  }
}

/**
 * Makes an {@linkcode EarlyStopping} callback.
 *
 * @param options See {@linkcode EarlyStoppingOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const stop = earlyStopping({ monitor: "val_loss", patience: 2 });
 * // val_loss 10, 9, 8, 9, 8.9: stops at epoch 4 (two epochs without a new best).
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}
