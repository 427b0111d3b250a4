/**
 * How a config's dataset section is loaded: one place, so training and
 * `eval` decode images identically.
 *
 * @module
 */
import type { LoadDatasetOptions } from "../data/load_dataset.ts";
import type { RunConfig } from "./run_config.ts";

/**
 * The loadDataset options a config implies.
 *
 * @param config The run config.
 * @param cacheDir Decoded-dataset cache folder, or null for none.
 * @returns Classes, decode options (size, channels, equalisation), cache, seed and validation fraction.
 * @example
 * ```ts
 * const dataset = await loadDataset(root, datasetLoadOptions(config, ".cache/datasets"));
 * ```
 */
export function datasetLoadOptions(config: RunConfig, cacheDir: string | null): LoadDatasetOptions {
  return {
    classes: config.dataset.classes,
    decode: { size: config.dataset.size, channels: config.dataset.channels, equalize: config.dataset.equalize },
    cacheDir,
    seed: config.seed,
    validationFraction: config.dataset.validationFraction,
    dropLeaked: config.dataset.dropLeaked,
  };
}

/**
 * {@linkcode datasetLoadOptions} without the config's equalisation: the faces as
 * decoded, for work that changes or describes the photograph itself (perturbing
 * it, grouping it by brightness) before the run's equalisation would apply.
 *
 * @param config The run config.
 * @param cacheDir Decoded-dataset cache folder, or null for none.
 * @returns The same options with `decode.equalize` false.
 * @example
 * ```ts
 * const photographs = await loadDataset(root, unequalizedLoadOptions(config, null));
 * ```
 */
export function unequalizedLoadOptions(config: RunConfig, cacheDir: string | null): LoadDatasetOptions {
  const options = datasetLoadOptions(config, cacheDir);
  return { ...options, decode: { ...options.decode, equalize: false } };
}
