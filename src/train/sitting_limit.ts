/**
 * Training in sittings: a limit that stops a training cleanly at the end of
 * an epoch (after a given epoch, or before an epoch that would end past a
 * time budget), the way Ctrl-C stops it, so the run is kept as interrupted
 * with its checkpoint and `fer resume` goes on with it later.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { type BatchLogs, Callback, type EpochLogs, type TrainContext } from "./callback.ts";
import { formatSeconds } from "./progress_bar.ts";

/** Where a sitting ends. Both may be given: whichever comes first. */
export interface SittingLimit {
  /** Stop once this many epochs are finished in all (counting a resumed run's earlier epochs). */
  afterEpoch?: number;
  /**
   * Seconds this sitting may take, counted from when the limit is made (so
   * loading data counts): training stops at the end of an epoch when the next
   * one, and then scoring the kept weights over the run's views on validation
   * (`TrainContext.scoringViews` passes, each timed as the epochs' validation),
   * would end past it. An epoch is never cut.
   */
  seconds?: number;
  /**
   * The clock time `seconds` counts to, as the user wrote it (`--until 07:30`),
   * for the stop's reason; absent for a time budget.
   */
  endsAt?: string;
}

/** A sitting's stop: the signal training watches, the callback that aborts it, and why it did. */
export interface SittingStop {
  /** Aborts when the caller's signal does, or when the limit is reached. */
  signal: AbortSignal;
  /** Give it to training (`fit`'s callbacks, or a run context's). */
  callback: Callback;
  /** Why the limit stopped training (one line), or null while it has not. */
  reason(): string | null;
}

/**
 * Makes the stop for a sitting limit. The epoch limit aborts after the epoch
 * that reaches it; the time limit predicts the next epoch from the longest of
 * the last epoch and the mean of this run's epochs in this sitting (validation included), and
 * the scoring that follows a stop from its validation passes by the same rule times
 * `TrainContext.scoringViews`, and aborts when the two would not fit. Aborting after the
 * run's last epoch changes nothing: the run completes.
 *
 * @param limit See {@linkcode SittingLimit}.
 * @param options `signal`: the caller's own stop (Ctrl-C); `now`: a clock in seconds (tests);
 *   `names`: the limits' names as the caller's user wrote them, for errors.
 * @returns See {@linkcode SittingStop}.
 * @throws {ConfigError} For an epoch count that is not a whole number >= 1, or a time that is not > 0.
 * @example
 * ```ts
 * const stop = sittingStop({ seconds: 3600 });
 * await fit(model, data, { ...options, signal: stop.signal, callbacks: [stop.callback] });
 * if (stop.reason()) console.log(stop.reason());
 * ```
 */
export function sittingStop(
  limit: SittingLimit,
  options: { signal?: AbortSignal; now?: () => number; names?: { afterEpoch: string; seconds: string } } = {},
): SittingStop {
  const { afterEpoch, seconds } = limit;
  const names = options.names ?? { afterEpoch: "afterEpoch", seconds: "seconds" };
  if (afterEpoch !== undefined && (!Number.isInteger(afterEpoch) || afterEpoch < 1)) {
    throw new ConfigError(`${names.afterEpoch} is ${afterEpoch}; give a whole number of epochs >= 1, or leave it out to train to the end`);
  }
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
    throw new ConfigError(`${names.seconds} is ${seconds} s; give a time > 0, or leave it out to train to the end`);
  }
  const now = options.now ?? (() => performance.now() / 1000);
  const startedAt = now();
  const controller = new AbortController();
  const outer = options.signal;
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", () => controller.abort(), { once: true });
  let reason: string | null = null;
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    reason = why;
    controller.abort();
  };
  const epochSeconds: number[] = [];
  // Each epoch's validation pass: from its last training batch's end to the epoch's end.
  const validationSeconds: number[] = [];
  let trainingEndedAt: number | undefined;
  let scoringViews = 0;

  class SittingLimitCallback extends Callback {
    override onTrainBegin(ctx: TrainContext): void {
      // One sitting can train several runs (a source first, an ensemble's members): each is predicted from its own epochs.
      epochSeconds.length = 0;
      validationSeconds.length = 0;
      trainingEndedAt = undefined;
      scoringViews = ctx.scoringViews ?? 0;
    }
    override onBatchEnd(batch: number, _logs: BatchLogs, ctx: TrainContext): void {
      if (batch === ctx.batchesPerEpoch - 1) trainingEndedAt = now();
    }
    override onTrainResume(history: readonly EpochLogs[]): void {
      if (afterEpoch !== undefined && history.length >= afterEpoch) {
        stop(`the run had already finished epoch ${history.length}, at or past the sitting's last epoch ${afterEpoch}`);
      }
    }
    override onEpochEnd(epoch: number, logs: EpochLogs): void {
      epochSeconds.push(logs.seconds);
      if (trainingEndedAt !== undefined) validationSeconds.push(now() - trainingEndedAt);
      trainingEndedAt = undefined;
      if (afterEpoch !== undefined && epoch + 1 >= afterEpoch) {
        stop(`stopped after epoch ${epoch + 1}, as asked`);
        return;
      }
      if (seconds === undefined) return;
      const next = nextEpochSeconds(epochSeconds);
      // After the next epoch the kept weights are scored (a sitting's stop, or the run's end): that must fit too.
      const scoring = scoringViews * nextEpochSeconds(validationSeconds);
      const elapsed = now() - startedAt;
      if (elapsed + next + scoring > seconds) {
        const used = limit.endsAt === undefined
          ? `${formatSeconds(elapsed)} of the ${formatSeconds(seconds)} time budget used`
          : `${formatSeconds(seconds - elapsed)} left before ${limit.endsAt}`;
        const then = scoring > 0 ? ` and scoring the kept weights over ${scoringViews} view(s) (about ${formatSeconds(scoring)})` : "";
        stop(`stopped after epoch ${epoch + 1}: ${used}, and the next epoch (about ${formatSeconds(next)})${then} would end past it`);
      }
    }
  }
  return { signal: controller.signal, callback: new SittingLimitCallback(), reason: () => reason };
}

/**
 * How long the next epoch will take, predicted from a run's epochs so far: the
 * longest of the last one and their mean (a slow epoch, e.g. one beside other
 * work, is not averaged away). The rule {@linkcode sittingStop} stops by, and a
 * sweep's time budget uses to decide whether another trial may start.
 *
 * @param epochSeconds Seconds of each finished epoch, in order (validation included).
 * @returns Seconds; 0 for no epochs.
 * @example
 * ```ts
 * nextEpochSeconds([100, 120, 90]); // 103.3: the mean, longer than the last
 * ```
 */
export function nextEpochSeconds(epochSeconds: readonly number[]): number {
  if (epochSeconds.length === 0) return 0;
  const mean = epochSeconds.reduce((sum, s) => sum + s, 0) / epochSeconds.length;
  return Math.max(epochSeconds[epochSeconds.length - 1], mean);
}

/**
 * How many sittings of `seconds` a training takes, by the rule
 * {@linkcode sittingStop} stops by: an epoch is never cut, the first epoch of a
 * sitting always runs, and a sitting ends after the epoch at which the next
 * one (predicted from the run's own epochs) and the scoring after it would end
 * past its time; a run that completes as its sitting's time runs out leaves the
 * next run to the next sitting. Loading data is not counted.
 *
 * @param runs The runs to train one after another: epochs each has left, the seconds of one of its epochs, and of
 *   scoring its kept weights after a stop (`scoringSeconds`, its views' passes over validation; absent: 0).
 * @param seconds A sitting's time (`--time-budget`).
 * @returns Sittings, at least 1 (0 when there is nothing to train).
 * @example
 * ```ts
 * sittingsFor([{ epochs: 50, epochSeconds: 180 }], 7200); // 40 epochs fit in 2h: 2 sittings
 * ```
 */
export function sittingsFor(runs: readonly { epochs: number; epochSeconds: number; scoringSeconds?: number }[], seconds: number): number {
  const epochs = runs.flatMap((run) => Array.from({ length: Math.max(0, run.epochs) }, () => ({ epoch: run.epochSeconds, scoring: run.scoringSeconds ?? 0 })));
  if (epochs.length === 0) return 0;
  let sittings = 1;
  let elapsed = 0;
  for (const [i, { epoch, scoring }] of epochs.entries()) {
    elapsed += epoch;
    if (i < epochs.length - 1 && elapsed + epoch + scoring > seconds) {
      sittings++;
      elapsed = 0;
    }
  }
  return sittings;
}
