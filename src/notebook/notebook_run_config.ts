/**
 * An experiment config for a notebook: read from experiments/, shrunk in
 * smoke mode, validated by parseRunConfig.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import type { ConfigOverrides } from "../experiment/config_overrides.ts";
import { readRunConfig } from "../experiment/read_run_config.ts";
import type { RunConfig } from "../experiment/run_config.ts";

/** Images per split in smoke mode (stratified, seeded). */
export const SMOKE_LIMITS = { train: 256, validation: 128, test: 64 } as const;

/** Options of {@linkcode notebookRunConfig}. */
export interface NotebookRunConfigOptions {
  /** Project folder that holds experiments/. */
  projectRoot: string;
  /** One epoch on {@linkcode SMOKE_LIMITS} images, and "-smoke" added to the name. @default false */
  smoke?: boolean;
  /** Replaces training.epochs (after smoke). @default the config's */
  epochs?: number;
  /** Replaces the backend (auto, wasm, webgpu, tensorflow, cpu). @default the config's */
  backend?: string;
}

/**
 * Reads `experiments/<name>.json` (or a `.json` path relative to the
 * project) and applies the notebook's overrides.
 *
 * @param name A config name such as "small_cnn", or a path ending in .json.
 * @param options See {@linkcode NotebookRunConfigOptions}.
 * @returns The resolved config.
 * @throws {ConfigError} When the file is missing or invalid, or an override is invalid (the message names the field).
 * @example
 * ```ts
 * const config = await notebookRunConfig("small_cnn", { projectRoot: "..", smoke: true });
 * console.assert(config.training.epochs === 1 && config.dataset.limitPerSplit?.train === 256);
 * ```
 */
export async function notebookRunConfig(name: string, options: NotebookRunConfigOptions): Promise<RunConfig> {
  const path = name.endsWith(".json")
    ? (isAbsolute(name) ? name : resolve(options.projectRoot, name))
    : join(resolve(options.projectRoot), "experiments", `${name}.json`);
  const overrides: ConfigOverrides = {
    ...(options.smoke ? { epochs: 1, limitPerSplit: { ...SMOKE_LIMITS }, nameSuffix: "-smoke" } : {}),
    ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
  };
  return await readRunConfig(path, { overrides, overridesBy: "notebook overrides" });
}
