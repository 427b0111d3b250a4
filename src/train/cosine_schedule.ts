/**
 * Cosine learning-rate decay with optional linear warm-up, set per epoch.
 *
 * @module
 */
import { Callback, type TrainContext } from "./callback.ts";

/** Options of {@linkcode cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Learning rate at the end of warm-up (the peak). */
  baseLr: number;
  /** Learning rate reached at the last epoch. @default 0 */
  minLr?: number;
  /** Epochs of linear warm-up from baseLr / (warmupEpochs + 1). @default 0 */
  warmupEpochs?: number;
}

/**
 * The rate for an epoch: linear warm-up, then half a cosine from baseLr to minLr.
 *
 * @param epoch 0-based epoch.
 * @param epochs Total epochs.
 * @param options See {@linkcode CosineScheduleOptions}.
 * @returns The learning rate.
 * @example
 * ```ts
 * console.assert(cosineLearningRate(0, 11, { baseLr: 1 }) === 1);
 * console.assert(Math.abs(cosineLearningRate(5, 11, { baseLr: 1 }) - 0.5) < 1e-12);
 * ```
 */
export function cosineLearningRate(epoch: number, epochs: number, options: CosineScheduleOptions): number {
  const { baseLr, minLr = 0, warmupEpochs = 0 } = options;
  if (epoch < warmupEpochs) return (baseLr * (epoch + 1)) / (warmupEpochs + 1);
  const span = Math.max(1, epochs - warmupEpochs - 1);
  const progress = Math.min(1, (epoch - warmupEpochs) / span);
  return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
}

/** Sets the learning rate at the start of each epoch. */
export class CosineSchedule extends Callback {
  readonly options: CosineScheduleOptions;

  constructor(options: CosineScheduleOptions) {
    super();
    this.options = options;
  }

  override onEpochBegin(epoch: number, ctx: TrainContext): void {
    ctx.setLearningRate(cosineLearningRate(epoch, ctx.epochs, this.options));
  }
}

/**
 * Makes a {@linkcode CosineSchedule} callback.
 *
 * @param options See {@linkcode CosineScheduleOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const schedule = cosineSchedule({ baseLr: 0.01, warmupEpochs: 2 });
 * ```
 */
export function cosineSchedule(options: CosineScheduleOptions): CosineSchedule {
  return new CosineSchedule(options);
}
