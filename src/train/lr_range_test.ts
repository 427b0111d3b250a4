/**
 * The learning-rate range test (Smith 2017, "Cyclical learning rates"; fastai's
 * lr_find): a fresh net takes steps at rates rising exponentially from a tiny
 * one, and its loss is recorded at each. The loss falls once the rate is large
 * enough to learn, falls fastest somewhere, then climbs or blows up. The rates
 * where it still falls steeply are the ones a schedule's peak can use.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { type BatchLogs, Callback, type TrainContext } from "./callback.ts";

/** Options of {@linkcode LrRangeTest}. */
export interface LrRangeOptions {
  /** Rate of the first step. */
  minLr: number;
  /** Rate of the last step. */
  maxLr: number;
  /** Steps from minLr to maxLr (at least 2). */
  steps: number;
  /** Weight of the past in the loss's moving average (fastai's 0.98). @default 0.98 */
  smoothing?: number;
  /** Stop once the smoothed loss exceeds this multiple of its lowest value. @default 4 */
  divergeFactor?: number;
}

/** One step of the test. */
export interface LrRangePoint {
  /** 0-based step. */
  step: number;
  /** The rate the step was taken with. */
  lr: number;
  /**
   * The step's batch loss without the L2 penalty: the data's loss (label smoothing and class weights
   * included), so that curves of nets trained with different L2 coefficients can be laid side by side.
   */
  loss: number;
  /** The L2 penalty the step's loss carried besides (0 without L2); it grows as the weights do. */
  penalty: number;
  /** The bias-corrected moving average of the losses so far. */
  smoothedLoss: number;
}

/** What the test suggests for a schedule's peak. */
export interface LrSuggestion {
  /** The rate of the lowest smoothed loss, over ten: the classic rule for a peak rate (Smith; fastai). */
  minimumOverTen: number;
  /**
   * The rate where the smoothed loss fell fastest against log(rate), before its lowest point, each slope taken
   * over a twentieth of the points (so one noisy step does not decide it); null when it never fell.
   */
  steepest: number | null;
  /** The rate of the lowest smoothed loss after the first tenth of the steps (where the average is young). */
  minimum: number;
  /** That lowest smoothed loss. */
  lowestLoss: number;
  /**
   * The rate halfway (in steps, so in log(rate)) along the valley: the longest run of points, after the first tenth,
   * whose smoothed losses keep falling, skipping the points that do not (the longest decreasing subsequence, as
   * fastai's "valley" suggester takes it). A long stretch of steady fall is read as a whole, so a short noisy dip
   * cannot name it, where the steepest fall can; null when the loss never fell.
   */
  valley: number | null;
  /**
   * How far the smoothed loss fell, as a share of where it started (the mean
   * loss of the first tenth of the steps): under a few percent the net hardly
   * learned within the test, and the suggestions say little.
   */
  fall: number;
  /**
   * Whether the lowest smoothed loss came in the last tenth of the steps: the loss was still falling (or flat) at
   * the top of the range, so the test found no rate too large and the suggestions are not a peak rate. Nets with
   * batch norm trained by Adam often end so: at large rates they collapse towards predicting the class shares,
   * which bounds their loss, instead of blowing up.
   */
  noCeiling: boolean;
}

/**
 * The rate of a step: minLr at the first, maxLr at the last, equal ratios between.
 *
 * @param step 0-based step.
 * @param options See {@linkcode LrRangeOptions}.
 * @returns The rate.
 * @example
 * ```ts
 * console.assert(Math.abs(lrRangeRate(1, { minLr: 1e-4, maxLr: 1e-2, steps: 3 }) - 1e-3) < 1e-15);
 * ```
 */
export function lrRangeRate(step: number, options: Pick<LrRangeOptions, "minLr" | "maxLr" | "steps">): number {
  const { minLr, maxLr, steps } = options;
  return minLr * Math.pow(maxLr / minLr, Math.min(step, steps - 1) / Math.max(1, steps - 1));
}

/**
 * Refuses a range that does not rise or fewer than two steps (the values come
 * from a user), as {@linkcode LrRangeTest} does, before anything is loaded.
 *
 * @param options The range and steps.
 * @throws {ConfigError} Naming the values found.
 * @example
 * ```ts
 * checkLrRange({ minLr: 1e-7, maxLr: 1, steps: 100 }); // passes
 * ```
 */
export function checkLrRange(options: Pick<LrRangeOptions, "minLr" | "maxLr" | "steps">): void {
  if (!(options.minLr > 0 && options.maxLr > options.minLr)) {
    throw new ConfigError(`The range test needs 0 < min rate < max rate; got ${options.minLr} and ${options.maxLr}`);
  }
  if (!(Number.isInteger(options.steps) && options.steps >= 2)) {
    throw new ConfigError(`The range test needs a whole number of steps, 2 or more; got ${options.steps}`);
  }
}

/**
 * Raises the rate after every step and records the loss (the data's, the L2
 * penalty apart); calls `stop` (an
 * abort the fit loop checks before each batch) once the loss blows up or the
 * last step is taken. Counts steps across epochs, so a split smaller than the
 * test runs over it more than once. The constructor refuses a range that does
 * not rise or fewer than two steps (ConfigError: the values come from a user).
 */
export class LrRangeTest extends Callback {
  readonly options: LrRangeOptions;
  readonly points: LrRangePoint[] = [];
  /** Why the test ended: "completed" (all steps), "diverged" (the loss blew up) or null while it runs. */
  ended: "completed" | "diverged" | null = null;
  readonly #stop: () => void;
  #average = 0;
  #lowest = Infinity;

  constructor(options: LrRangeOptions, stop: () => void) {
    super();
    checkLrRange(options);
    this.options = options;
    this.#stop = stop;
  }

  override onTrainBegin(ctx: TrainContext): void {
    ctx.setLearningRate(lrRangeRate(0, this.options));
  }

  override onBatchEnd(_batch: number, logs: BatchLogs, ctx: TrainContext): void {
    if (this.ended !== null) return;
    const { smoothing = 0.98, divergeFactor = 4 } = this.options;
    const step = this.points.length;
    const penalty = logs.penalty ?? 0;
    const loss = logs.loss - penalty;
    this.#average = smoothing * this.#average + (1 - smoothing) * loss;
    const smoothedLoss = this.#average / (1 - Math.pow(smoothing, step + 1));
    this.points.push({ step, lr: lrRangeRate(step, this.options), loss, penalty, smoothedLoss });
    this.#lowest = Math.min(this.#lowest, smoothedLoss);
    if (!Number.isFinite(smoothedLoss) || smoothedLoss > divergeFactor * this.#lowest) this.ended = "diverged";
    else if (step + 1 >= this.options.steps) this.ended = "completed";
    if (this.ended !== null) this.#stop();
    else ctx.setLearningRate(lrRangeRate(step + 1, this.options));
  }
}

/**
 * Reads the suggested rates off a test's points.
 *
 * @param points From {@linkcode LrRangeTest}, in step order (at least one finite smoothed loss).
 * @returns The suggestions.
 * @throws RangeError when no point has a finite smoothed loss.
 * @example
 * ```ts
 * const { minimumOverTen, steepest } = suggestLearningRate(test.points);
 * ```
 */
export function suggestLearningRate(points: readonly LrRangePoint[]): LrSuggestion {
  const finite = points.filter((point) => Number.isFinite(point.smoothedLoss));
  if (finite.length === 0) throw new RangeError("The range test recorded no finite loss");
  // The first tenth of the points is skipped, where the average is young: its first value is one batch's loss,
  // which may happen to be the lowest of all and would name the smallest rate.
  const settled = Math.min(finite.length - 1, Math.floor(finite.length / 10));
  let lowestAt = settled;
  for (let i = settled + 1; i < finite.length; i++) if (finite[i].smoothedLoss < finite[lowestAt].smoothedLoss) lowestAt = i;
  const minimum = finite[lowestAt].lr;
  // The slope over a window, against log(rate), both of its ends after the first tenth.
  const window = Math.max(1, Math.floor(finite.length / 20));
  let steepest: number | null = null;
  let steepestSlope = 0;
  for (let i = settled + window; i <= lowestAt; i++) {
    const slope = (finite[i].smoothedLoss - finite[i - window].smoothedLoss) / Math.log(finite[i].lr / finite[i - window].lr);
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = finite[i].lr;
    }
  }
  const opening = points.slice(0, Math.max(1, Math.floor(points.length / 10))).map((point) => point.loss).filter(Number.isFinite);
  const start = opening.length > 0 ? opening.reduce((sum, loss) => sum + loss, 0) / opening.length : finite[0].smoothedLoss;
  const fall = start > 0 ? (start - finite[lowestAt].smoothedLoss) / start : 0;
  const noCeiling = lowestAt >= finite.length - Math.max(1, Math.floor(finite.length / 10));
  return { minimumOverTen: minimum / 10, steepest, minimum, lowestLoss: finite[lowestAt].smoothedLoss, valley: valleyRate(finite.slice(settled)), fall, noCeiling };
}

/**
 * The rate halfway along the longest decreasing subsequence of the smoothed losses (see
 * {@linkcode LrSuggestion.valley}), found in n log n: `tails[k]` is the index of the point ending the decreasing
 * subsequence of length k + 1 whose last loss is the highest (the easiest to extend), and `previous` links each point
 * to the one before it in its subsequence.
 */
function valleyRate(points: readonly LrRangePoint[]): number | null {
  const tails: number[] = [];
  const previous = new Array<number>(points.length).fill(-1);
  for (let i = 0; i < points.length; i++) {
    const loss = points[i].smoothedLoss;
    // The first subsequence whose last loss is not above this one: this point ends a subsequence one longer than the one before it.
    let low = 0, high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (points[tails[middle]].smoothedLoss > loss) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[i] = tails[low - 1];
    tails[low] = i;
  }
  if (tails.length < 2) return null;
  const last = tails[tails.length - 1];
  let first = last;
  while (previous[first] !== -1) first = previous[first];
  return points[Math.round((first + last) / 2)].lr;
}
