/**
 * Reads a sweep config file and the base run config it names.
 *
 * @module
 */
import { resolve } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { readJsonFile } from "../core/read_json_file.ts";
import { parseSweepConfig, type SweepConfig } from "./sweep_config.ts";

/** The sweep config named in the message for a missing file. */
const SWEEP_EXAMPLE = "experiments/sweep_smoke.json";

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
  const json = await readJsonFile(path, { what: "Sweep config", example: SWEEP_EXAMPLE });
  if (typeof json !== "object" || json === null || (json as { kind?: unknown }).kind !== "sweep") {
    throw new ConfigError(`${path} is not a sweep config: it needs "kind": "sweep" (train a run or ensemble config with: deno task fer run ${path})`);
  }
  const sweep = parseSweepConfig(json, path);
  if (typeof sweep.base !== "string") return { sweep, base: sweep.base };
  const base = await readJsonFile(resolve(projectRoot, sweep.base), { what: `Base config ${sweep.base} of sweep ${path}`, example: SWEEP_EXAMPLE });
  if (typeof base !== "object" || base === null || Array.isArray(base)) {
    throw new ConfigError(`Base config ${sweep.base} of sweep ${path} is not a JSON object; point "base" at a run config such as experiments/small_cnn.json`);
  }
  return { sweep, base: base as Record<string, unknown> };
}
