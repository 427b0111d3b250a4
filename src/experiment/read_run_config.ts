/**
 * Reads a run config file (one model), with overrides applied before it is
 * validated: how notebooks and the CLI's single-model paths load a config.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { readJsonFile } from "../core/read_json_file.ts";
import { applyConfigOverrides, type ConfigOverrides } from "./config_overrides.ts";
import { parseRunConfig, type RunConfig } from "./run_config.ts";

/** Options of {@linkcode readRunConfig}. */
export interface ReadRunConfigOptions {
  /** Fields to replace before validation. @default none */
  overrides?: ConfigOverrides;
  /** Who set the overrides, in messages (`<path> with notebook overrides`). @default "overrides" */
  overridesBy?: string;
}

/**
 * Reads, overrides and validates a run config file.
 *
 * @param path JSON file.
 * @param options Overrides and who set them.
 * @returns The resolved config.
 * @throws {ConfigError} When the file is missing, not JSON, invalid (naming the field), or an ensemble or sweep config.
 * @example
 * ```ts
 * const config = await readRunConfig("experiments/small_cnn.json", { overrides: { epochs: 1 } });
 * console.assert(config.model.family === "small_cnn" && config.training.epochs === 1);
 * ```
 */
export async function readRunConfig(path: string, options: ReadRunConfigOptions = {}): Promise<RunConfig> {
  const json = await readJsonFile(path);
  const kind = typeof json === "object" && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (kind === "ensemble") {
    throw new ConfigError(`Config file ${path} is an ensemble config ("kind": "ensemble"); run it with: deno task fer run ${path}`);
  }
  if (kind === "sweep") {
    throw new ConfigError(`${path} is a sweep config ("kind": "sweep"): it runs many configs; run it with: deno task fer sweep ${path}`);
  }
  if (options.overrides === undefined || Object.keys(options.overrides).length === 0) return parseRunConfig(json, path);
  return parseRunConfig(applyConfigOverrides(json, options.overrides), `${path} with ${options.overridesBy ?? "overrides"}`);
}
