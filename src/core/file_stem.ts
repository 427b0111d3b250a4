/**
 * A free-text name (a config's, a video file's) as part of a file or folder
 * name: the one rule for run ids, video run ids and a sweep's source copies.
 *
 * @module
 */

/**
 * Keeps letters, digits, `_` and `-`; every other run of characters becomes one `_`; at most 60 characters.
 *
 * @param name The name to shorten and clean.
 * @param fallback What to use for an empty name (one of punctuation only becomes `_`, not the fallback).
 * @returns The stem.
 * @example
 * ```ts
 * console.assert(fileStem("inline member", "x") === "inline_member");
 * console.assert(fileStem("", "run") === "run");
 * ```
 */
export function fileStem(name: string, fallback: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 60) || fallback;
}
