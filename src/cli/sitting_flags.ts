/**
 * The command line's options for training in sittings (`fer run`, `fer
 * resume`): `--stop-after-epoch N`, `--time-budget T` and `--until TIME`,
 * read into the limit src/train/sitting_limit.ts stops training with.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { SittingLimit } from "../train/sitting_limit.ts";
import { parseDuration, withClockEnd } from "../train/sitting_times.ts";
import type { CliIo } from "./cli_command.ts";

/** `fer run` and `fer resume`'s options for training in sittings (their help text is {@linkcode SITTING_HELP}). */
export const SITTING_FLAGS = { "stop-after-epoch": "string", "time-budget": "string", "until": "string" } as const;

/** Help lines of {@linkcode SITTING_FLAGS}. */
export const SITTING_HELP = `  --stop-after-epoch N
               stop cleanly once epoch N is finished (counting the run's earlier
               epochs when resuming), as Ctrl-C would: the run is saved as
               interrupted with its checkpoint, for fer resume to go on with later
               (training in sittings; run configs, not ensembles)
  --time-budget T
               stop the same way at the end of the epoch after which the next
               one, and then scoring the kept weights over the run's views on
               validation, would end past T (90m, 1h30m, 2h; counted from the
               command's start; an epoch is never cut)
  --until TIME the same, for a clock time: 07:30 (the next one to come, in this
               machine's time zone) or a date and time (2026-12-06T07:30, with Z
               or +01:00 for another zone); a time already past trains nothing.
               With several limits, the first one reached`;

/** The names sittingStop uses in its errors: the flags as typed. */
export const SITTING_NAMES = { afterEpoch: "--stop-after-epoch", seconds: "--time-budget or --until" };

/**
 * The sitting limit the flags ask for, checked; null when none is given. A
 * clock time (`--until`) becomes the seconds from now to it, and the sooner of
 * it and `--time-budget` is kept; a clock time already past leaves 0 seconds
 * (see {@linkcode sittingOverBeforeStart}).
 *
 * @param flags Parsed flags of fer run or fer resume.
 * @param now The time the command started (tests give their own).
 * @returns The limit, or null.
 * @throws {ConfigError} For an epoch that is not a whole number >= 1, a time that is not a duration, or a clock time that is not one.
 */
export function sittingFromFlags(flags: Record<string, string | boolean>, now: Date = new Date()): SittingLimit | null {
  const epoch = flags["stop-after-epoch"], budget = flags["time-budget"], until = flags.until;
  if (typeof epoch !== "string" && typeof budget !== "string" && typeof until !== "string") return null;
  let limit: SittingLimit = {};
  if (typeof epoch === "string") {
    limit.afterEpoch = Number(epoch);
    if (epoch.trim() === "" || !Number.isInteger(limit.afterEpoch) || limit.afterEpoch < 1) {
      throw new ConfigError(`--stop-after-epoch ${epoch}: give a whole number of epochs >= 1, e.g. --stop-after-epoch 10`);
    }
  }
  if (typeof budget === "string") limit.seconds = parseDuration(budget, "--time-budget");
  if (typeof until === "string") limit = withClockEnd(limit, until, "--until", now);
  return limit;
}

/**
 * Why a sitting is over before it began (a clock time already past), or null
 * when it has time to train: the command then trains nothing and changes no run.
 *
 * @param limit The sitting's limit (sittingFromFlags).
 * @returns One line, or null.
 */
export function sittingOverBeforeStart(limit: SittingLimit | null): string | null {
  return limit?.seconds === 0 ? `${limit.endsAt ?? "the sitting's end"} has passed; nothing was trained` : null;
}

/**
 * Tells the user the sitting is over and how to go on.
 *
 * @param runId The stopped run.
 * @param reason The sitting's stop reason (sittingStop).
 * @param io Output streams.
 */
export function printSittingOver(runId: string, reason: string, io: CliIo): void {
  io.err(`Sitting over: ${reason}. Go on with: deno task fer resume ${runId} (it takes --time-budget, --until and --stop-after-epoch too)\n`);
}
