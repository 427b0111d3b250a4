/**
 * Reads a sweep config file and the base run config it names.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { parseSweepConfig, type SweepConfig } from "./sweep_config.ts";

/** A sweep config with its base run config as JSON. */
export interface SweepSpec {
  sweep: SweepConfig;
  /** The base run config, read from `sweep.base` when that is a path. */
  base: Record<string, unknown>;
}

/**
 * Reads `path` as a sweep config and loads its base config (a path relative
 * to `projectRoot`, or inline).
 *
 * @param path The sweep file (e.g. `experiments/sweep_smoke.json`).
 * @param projectRoot The folder base paths are relative to.
 * @returns The validated sweep and its base config.
 * @throws {ConfigError} When a file is missing, is not JSON, or the sweep is invalid.
 * @example
 * ```ts
 * const { sweep, base } = await readSweepFile("experiments/sweep_smoke.json", Deno.cwd());
 * console.assert(sweep.kind === "sweep" && typeof base.name === "string");
 * ```
 */
export async function readSweepFile(path: string, projectRoot: string): Promise<SweepSpec> {
  const json = await readJson(path, "Sweep config");
  if (typeof json !== "object" || json === null || (json as { kind?: unknown }).kind !== "sweep") {
    throw new ConfigError(`${path} is not a sweep config: it needs "kind": "sweep" (train a run or ensemble config with: deno task fer run ${path})`);
  }
  const sweep = parseSweepConfig(json, path);
  if (typeof sweep.base !== "string") return { sweep, base: sweep.base };
  const base = await readJson(resolve(projectRoot, sweep.base), `Base config ${sweep.base} of sweep ${path}`);
  if (typeof base !== "object" || base === null || Array.isArray(base)) {
    throw new ConfigError(`Base config ${sweep.base} of sweep ${path} is not a JSON object; point "base" at a run config such as experiments/small_cnn.json`);
  }
  return { sweep, base: base as Record<string, unknown> };
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`${what} ${path} not found; configs live in experiments/ (e.g. experiments/sweep_smoke.json)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}
