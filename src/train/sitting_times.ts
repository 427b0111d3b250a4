/**
 * How a person writes a sitting's length and end: a duration with units
 * (`1h30m`) and a clock time (`07:30`, `2026-12-06T07:30Z`). One reader for
 * the command line's `--time-budget` and `--until` and a notebook's `until`.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { SittingLimit } from "./sitting_limit.ts";

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

/**
 * Reads a clock time as the command line writes it: `07:30` (the next such
 * time to come, in this machine's time zone) or an ISO date and time
 * (`2026-12-06T07:30`, in this machine's zone, or with `Z` or `+01:00`).
 *
 * @param text The time.
 * @param what What it is, for the error ("--until").
 * @param now Now (`07:30` is the next 07:30 after it).
 * @returns The time.
 * @throws {ConfigError} For text that is neither form.
 * @example
 * ```ts
 * parseClockTime("2026-12-06T07:30Z", "--until", new Date()).toISOString(); // "2026-12-06T07:30:00.000Z"
 * ```
 */
export function parseClockTime(text: string, what: string, now: Date): Date {
  const trimmed = text.trim();
  const clock = /^(\d{1,2}):(\d{2})$/.exec(trimmed);
  if (clock && Number(clock[1]) < 24 && Number(clock[2]) < 60) {
    const at = new Date(now);
    at.setHours(Number(clock[1]), Number(clock[2]), 0, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return at;
  }
  const dateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i.exec(trimmed);
  // Checked field by field: Date would roll 2026-02-30 over to March 2 without a word.
  const valid = dateTime !== null && Number(dateTime[2]) >= 1 && Number(dateTime[2]) <= 12 && Number(dateTime[3]) >= 1 &&
    Number(dateTime[3]) <= new Date(Date.UTC(Number(dateTime[1]), Number(dateTime[2]), 0)).getUTCDate() &&
    Number(dateTime[4]) < 24 && Number(dateTime[5]) < 60 && Number(dateTime[7] ?? 0) < 60;
  const at = valid ? new Date(trimmed.replace(" ", "T")) : null;
  if (at === null || Number.isNaN(at.getTime())) {
    throw new ConfigError(
      `${what} ${text} is not a time; give a clock time (07:30, the next one to come) or a date and time ` +
        `(2026-12-06T07:30, or 2026-12-06T07:30Z / +01:00 for its zone)`,
    );
  }
  return at;
}

/**
 * A sitting's limit with a clock time's end added (`--until`, a notebook's
 * `until`): the seconds from `now` to it, kept with the time as written when
 * sooner than the limit's own seconds; 0 seconds when the time has passed.
 *
 * @param limit The limit so far (an epoch, a time budget).
 * @param until The clock time, as the user wrote it.
 * @param what Its name, for the error (`--until`).
 * @param now Now.
 * @returns The limit to stop by.
 * @throws {ConfigError} For text that is not a time (parseClockTime).
 * @example
 * ```ts
 * withClockEnd({ seconds: 3600 }, "2026-12-06T07:30Z", "--until", new Date("2026-12-06T07:00Z")); // { seconds: 1800, endsAt: "2026-12-06T07:30Z" }
 * ```
 */
export function withClockEnd(limit: SittingLimit, until: string, what: string, now: Date): SittingLimit {
  const seconds = Math.max(0, (parseClockTime(until, what, now).getTime() - now.getTime()) / 1000);
  return limit.seconds === undefined || seconds < limit.seconds ? { ...limit, seconds, endsAt: until.trim() } : limit;
}

