/**
 * Smith's one-cycle policy (Smith and Topin 2018, "Super-convergence"), set at every step:
 * the learning rate rises from a low start to its peak over the first part of
 * training and falls far below the start by the end, while the momentum moves
 * the other way (high when the rate is low). Both move along half cosines, as
 * in PyTorch's OneCycleLR and fastai's fit_one_cycle.
 *
 * @module
 */
import { type BatchLogs, Callback, type TrainContext } from "./callback.ts";

/** Options of {@linkcode oneCycleSchedule}. */
export interface OneCycleOptions {
  /** The peak learning rate, reached at the end of the rise. */
  maxLr: number;
  /** Share of the steps spent rising to the peak. @default 0.3 */
  warmupFraction?: number;
  /** The first rate is maxLr / initialDivisor. @default 25 */
  initialDivisor?: number;
  /** The last rate is the first one / finalDivisor. @default 1e4 */
  finalDivisor?: number;
  /**
   * The momentum (Adam's beta1, SGD's or RMSProp's momentum) at the low and high
   * ends of the rate: `high` at the first and last step, `low` at the peak.
   * null leaves the optimizer's momentum alone. @default { low: 0.85, high: 0.95 }
   */
  momentum?: { low: number; high: number } | null;
}

/** The rate and momentum of one step. */
export interface OneCycleValues {
  lr: number;
  /** null when the schedule leaves the momentum alone. */
  momentum: number | null;
}

/** From `start` (at fraction 0) to `end` (at 1) along half a cosine. */
function cosineBetween(start: number, end: number, fraction: number): number {
  return end + ((start - end) / 2) * (1 + Math.cos(Math.PI * fraction));
}

/**
 * The learning rate and momentum of a step.
 *
 * @param step 0-based step (batch) over the whole training.
 * @param totalSteps Steps in the whole training (epochs x batches per epoch).
 * @param options See {@linkcode OneCycleOptions}.
 * @returns The step's values.
 * @example
 * ```ts
 * console.assert(Math.abs(oneCycleValues(0, 100, { maxLr: 1 }).lr - 1 / 25) < 1e-12);
 * console.assert(Math.abs(oneCycleValues(29, 100, { maxLr: 1 }).lr - 1) < 1e-12);
 * ```
 */
export function oneCycleValues(step: number, totalSteps: number, options: OneCycleOptions): OneCycleValues {
  const { maxLr, warmupFraction = 0.3, initialDivisor = 25, finalDivisor = 1e4 } = options;
  const momentum = options.momentum === undefined ? { low: 0.85, high: 0.95 } : options.momentum;
  const initialLr = maxLr / initialDivisor;
  const finalLr = initialLr / finalDivisor;
  const last = Math.max(1, totalSteps - 1);
  // The step that reaches the peak, as PyTorch counts it: the rise ends warmupFraction of the way through.
  const peak = Math.min(last - 1, Math.max(0, warmupFraction * totalSteps - 1));
  const at = Math.min(Math.max(0, step), last);
  if (at <= peak && peak > 0) {
    const fraction = at / peak;
    return { lr: cosineBetween(initialLr, maxLr, fraction), momentum: momentum && cosineBetween(momentum.high, momentum.low, fraction) };
  }
  const fraction = (at - peak) / (last - peak);
  return { lr: cosineBetween(maxLr, finalLr, fraction), momentum: momentum && cosineBetween(momentum.low, momentum.high, fraction) };
}

/**
 * Sets the rate (and momentum) before every step. It keeps no state between
 * epochs: the step is worked out from the epoch and batch, so a resumed
 * training picks up the cycle where it stopped.
 */
export class OneCycleSchedule extends Callback {
  readonly options: OneCycleOptions;
  #epoch = 0;

  constructor(options: OneCycleOptions) {
    super();
    this.options = options;
  }

  #apply(step: number, ctx: TrainContext): void {
    const values = oneCycleValues(step, ctx.epochs * ctx.batchesPerEpoch, this.options);
    ctx.setLearningRate(values.lr);
    if (values.momentum !== null) ctx.setMomentum(values.momentum);
  }

  override onEpochBegin(epoch: number, ctx: TrainContext): void {
    this.#epoch = epoch;
    this.#apply(epoch * ctx.batchesPerEpoch, ctx);
  }

  override onBatchEnd(batch: number, _logs: BatchLogs, ctx: TrainContext): void {
    this.#apply(this.#epoch * ctx.batchesPerEpoch + batch + 1, ctx);
  }
}

/**
 * Makes a {@linkcode OneCycleSchedule} callback.
 *
 * @param options See {@linkcode OneCycleOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const schedule = oneCycleSchedule({ maxLr: 3e-3 });
 * ```
 */
export function oneCycleSchedule(options: OneCycleOptions): OneCycleSchedule {
  return new OneCycleSchedule(options);
}
