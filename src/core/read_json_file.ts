/**
 * Reads a JSON config file, the first step of reading every kind of config
 * (run, ensemble, sweep and a sweep's base config): a missing file or bad
 * JSON is a ConfigError that names the file and what to do.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "./errors.ts";

/** Options of {@linkcode readJsonFile}. */
export interface ReadJsonFileOptions {
  /** What the file is, first in messages. @default "Config file" */
  what?: string;
  /** A config that exists, named in the message for a missing file. @default "experiments/small_cnn.json" */
  example?: string;
}

/**
 * Reads and parses a JSON file; the caller validates what it holds.
 *
 * @param path The file.
 * @param options What the file is and an example of one, for messages.
 * @returns The parsed JSON.
 * @throws {ConfigError} When the file is missing or not valid JSON.
 * @example
 * ```ts
 * const json = await readJsonFile("experiments/small_cnn.json");
 * console.assert(typeof json === "object");
 * ```
 */
export async function readJsonFile(path: string, options: ReadJsonFileOptions = {}): Promise<unknown> {
  const what = options.what ?? "Config file";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`${what} ${path} not found; configs live in experiments/ (e.g. ${options.example ?? "experiments/small_cnn.json"})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}
