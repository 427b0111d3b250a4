/**
 * Lowers the learning rate when the monitored metric plateaus.
 *
 * @module
 */
import { type TrackerOptions, TrackerCallback } from "./_tracker_callback.ts";
import type { EpochLogs, TrainContext } from "./callback.ts";

/** Options of {@linkcode reduceLrOnPlateau}. */
export interface ReduceLrOptions extends TrackerOptions {
  /** Multiplier applied to the learning rate, in (0, 1). @default 0.5 */
  factor?: number;
  /** Epochs without improvement before the rate is lowered. @default 5 */
  patience?: number;
  /** Lowest learning rate. @default 1e-6 */
  minLr?: number;
}

/** Multiplies the learning rate by `factor` after `patience` epochs without improvement. */
export class ReduceLrOnPlateau extends TrackerCallback {
  readonly factor: number;
  readonly patience: number;
  readonly minLr: number;

  constructor(options: ReduceLrOptions = {}) {
    super(options);
    this.factor = options.factor ?? 0.5;
    this.patience = options.patience ?? 5;
    this.minLr = options.minLr ?? 1e-6;
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new RangeError(`ReduceLROnPlateau factor ${this.factor} must be in (0, 1)`);
    }
  }

  // The lowered rate itself is saved with the optimizer's rate; only the plateau count is this callback's.
  override get checkpointKey(): string {
    return "reduce_lr_on_plateau";
  }

  override onEpochEnd(_epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    this.track(logs);
    if (this.wait >= this.patience) {
      ctx.setLearningRate(Math.max(this.minLr, ctx.getLearningRate() * this.factor));
      this.wait = 0;
    }
  }
}

/**
 * Makes a {@linkcode ReduceLrOnPlateau} callback.
 *
 * @param options See {@linkcode ReduceLrOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const plateau = reduceLrOnPlateau({ factor: 0.75, patience: 5 });
 * ```
 */
export function reduceLrOnPlateau(options: ReduceLrOptions = {}): ReduceLrOnPlateau {
  return new ReduceLrOnPlateau(options);
}
