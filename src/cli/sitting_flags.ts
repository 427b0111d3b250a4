/**
 * The command line's options for training in sittings (`fer run`, `fer
 * resume`): `--stop-after-epoch N` and `--time-budget T`, read into the
 * limit src/train/sitting_limit.ts stops training with.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { SittingLimit } from "../train/sitting_limit.ts";
import type { CliIo } from "./cli_command.ts";

/** `fer run` and `fer resume`'s options for training in sittings (their help text is {@linkcode SITTING_HELP}). */
export const SITTING_FLAGS = { "stop-after-epoch": "string", "time-budget": "string" } as const;

/** Help lines of {@linkcode SITTING_FLAGS}. */
export const SITTING_HELP = `  --stop-after-epoch N
               stop cleanly once epoch N is finished (counting the run's earlier
               epochs when resuming), as Ctrl-C would: the run is saved as
               interrupted with its checkpoint, for fer resume to go on with later
               (training in sittings; run configs, not ensembles)
  --time-budget T
               stop the same way at the end of the epoch after which the next
               one would end past T (90m, 1h30m, 2h; counted from the command's
               start; an epoch is never cut, and evaluating the kept weights
               comes after); with both limits, the first one reached`;

/** The names sittingStop uses in its errors: the flags as typed. */
export const SITTING_NAMES = { afterEpoch: "--stop-after-epoch", seconds: "--time-budget" };

/**
 * The sitting limit the flags ask for, checked; null when neither is given.
 *
 * @param flags Parsed flags of fer run or fer resume.
 * @returns The limit, or null.
 * @throws {ConfigError} For an epoch that is not a whole number >= 1, or a time that is not a duration.
 */
export function sittingFromFlags(flags: Record<string, string | boolean>): SittingLimit | null {
  const epoch = flags["stop-after-epoch"], budget = flags["time-budget"];
  if (typeof epoch !== "string" && typeof budget !== "string") return null;
  const limit: SittingLimit = {};
  if (typeof epoch === "string") {
    limit.afterEpoch = Number(epoch);
    if (epoch.trim() === "" || !Number.isInteger(limit.afterEpoch) || limit.afterEpoch < 1) {
      throw new ConfigError(`--stop-after-epoch ${epoch}: give a whole number of epochs >= 1, e.g. --stop-after-epoch 10`);
    }
  }
  if (typeof budget === "string") limit.seconds = parseDuration(budget, "--time-budget");
  return limit;
}

/**
 * Tells the user the sitting is over and how to go on.
 *
 * @param runId The stopped run.
 * @param reason The sitting's stop reason (sittingStop).
 * @param io Output streams.
 */
export function printSittingOver(runId: string, reason: string, io: CliIo): void {
  io.err(`Sitting over: ${reason}. Go on with: deno task fer resume ${runId} (it takes --time-budget and --stop-after-epoch too)\n`);
}

/**
 * Reads a duration as the command line writes it: a number with a unit,
 * several summed ("90m", "1h30m", "2h", "45s", "1.5h").
 *
 * @param text The duration.
 * @param what What it is, for the error ("--time-budget").
 * @returns Seconds.
 * @throws {ConfigError} For text that is not a duration with units, or is 0.
 * @example
 * ```ts
 * parseDuration("1h30m", "--time-budget"); // 5400
 * ```
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim().toLowerCase();
  const part = /\s*(\d+(?:\.\d+)?)\s*(h|m|s)/gy;
  const unit = { h: 3600, m: 60, s: 1 } as const;
  let total = 0;
  let end = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * unit[match[2] as keyof typeof unit];
    end = part.lastIndex;
  }
  if (trimmed === "" || end !== trimmed.length) {
    throw new ConfigError(`${what} ${text} is not a duration; write it with units, e.g. 90m, 1h30m, 2h or 45s`);
  }
  if (!(total > 0)) throw new ConfigError(`${what} ${text} is no time at all; give a duration > 0, e.g. 90m`);
  return total;
}
