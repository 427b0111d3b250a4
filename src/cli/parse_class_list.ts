/**
 * Parses a `--classes` value.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/**
 * Splits a comma-separated class list, trimming spaces and refusing empty or
 * repeated names (the order is the label order, so it must be exact).
 *
 * @param text The option value, e.g. `"happy, sad"`.
 * @returns The class names in the order given.
 * @throws {ConfigError} When the list is empty or names a class twice.
 * @example
 * ```ts
 * console.assert(parseClassList("happy, sad").join() === "happy,sad");
 * ```
 */
export function parseClassList(text: string): string[] {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  if (names.length === 0) {
    throw new ConfigError(`Option --classes is "${text}"; pass class names separated by commas, e.g. happy,sad`);
  }
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new ConfigError(`Option --classes names "${repeated}" twice; list each class once`);
  return names;
}
