/**
 * Reads an experiment config file of either kind: a run config (one model)
 * or an ensemble config (`"kind": "ensemble"`).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { readJsonFile } from "../core/read_json_file.ts";
import { parseRunConfig, type RunConfig } from "../experiment/run_config.ts";
import { type EnsembleConfig, parseEnsembleConfig } from "./ensemble_config.ts";

/** A validated config of either kind. */
export type ExperimentConfig = { kind: "run"; config: RunConfig } | { kind: "ensemble"; config: EnsembleConfig };

/**
 * Validates parsed JSON as an ensemble config when it says `"kind":
 * "ensemble"`, and as a run config otherwise (run configs have no `kind`).
 *
 * @param json Parsed JSON or a notebook object.
 * @param source Where it came from, for messages.
 * @returns The config, tagged with its kind.
 * @throws {ConfigError} When `kind` has another value or the config is invalid (naming the field).
 * @example
 * ```ts
 * const parsed = parseExperimentConfig({ kind: "ensemble", name: "e", members: [{ run: "a" }] }, "inline");
 * console.assert(parsed.kind === "ensemble");
 * ```
 */
export function parseExperimentConfig(json: unknown, source: string): ExperimentConfig {
  const kind = typeof json === "object" && json !== null && "kind" in json ? (json as { kind: unknown }).kind : undefined;
  if (kind === undefined) return { kind: "run", config: parseRunConfig(json, source) };
  if (kind === "ensemble") return { kind: "ensemble", config: parseEnsembleConfig(json, source) };
  if (kind === "sweep") {
    throw new ConfigError(`${source} is a sweep config ("kind": "sweep"): it runs many configs; run it with: deno task fer sweep ${source}`);
  }
  throw new ConfigError(
    `Invalid config in ${source}:\n  kind: value ${JSON.stringify(kind)} not allowed; allowed: "ensemble" (leave kind out for a run config)`,
  );
}

/**
 * Reads a JSON config file and validates it with {@linkcode parseExperimentConfig}.
 *
 * @param path The file (e.g. `experiments/ensemble_soft_vote.json`).
 * @returns The config, tagged with its kind.
 * @throws {ConfigError} When the file is missing, not JSON, or invalid.
 * @example
 * ```ts
 * const parsed = await readConfigFile("experiments/small_cnn.json");
 * console.assert(parsed.kind === "run");
 * ```
 */
export async function readConfigFile(path: string): Promise<ExperimentConfig> {
  return parseExperimentConfig(await readJsonFile(path), path);
}
