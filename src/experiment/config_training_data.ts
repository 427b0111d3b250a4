/**
 * The data and backend a config's training would use, set up as a run sets
 * them up, for the tools that take a few of its training steps without making
 * a run (the time estimate, the learning-rate range test).
 *
 * @module
 */
import type { BackendInfo } from "../backend/backend_info.ts";
import { selectBackend } from "../backend/select_backend.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import { checkClassCoverage } from "../data/dataset_problems.ts";
import type { ImageSet } from "../data/image_set.ts";
import { type Dataset, loadDataset } from "../data/load_dataset.ts";
import { datasetLoadOptions } from "./dataset_load_options.ts";
import { resolveDatasetRoot } from "./resolve_dataset_root.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunContext } from "./run_context.ts";
import { limitedSplits, trainingUsesOneDnn } from "./run_experiment.ts";

/** What {@linkcode configTrainingData} set up. */
export interface ConfigTrainingData {
  /** The dataset folder `dataset.root` resolved to. */
  root: string;
  backend: BackendInfo;
  dataset: Dataset;
  /** Seeded with the config's seed; it drew the splits' samples. */
  rng: Rng;
  /** The splits after `dataset.limitPerSplit`. */
  splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
}

/**
 * Resolves the config's dataset, selects its backend, loads the images (from
 * the cache when they were decoded before) and cuts the splits as a run would.
 *
 * @param config A run config.
 * @param ctx Paths, and where to log and draw decoding progress.
 * @returns The data, backend and generator.
 * @throws {DatasetError} When the dataset cannot be loaded, or a class has no image in a split (as a run would).
 * @example
 * ```ts
 * const { splits, backend } = await configTrainingData(config, { projectRoot, cacheDir, log: console.log, write, interactive: false });
 * ```
 */
export async function configTrainingData(
  config: RunConfig,
  ctx: Pick<RunContext, "projectRoot" | "cacheDir" | "log" | "write" | "interactive">,
): Promise<ConfigTrainingData> {
  const { root, reason } = await resolveDatasetRoot(config.dataset.root, { projectRoot: ctx.projectRoot, classes: config.dataset.classes });
  ctx.log(reason);
  const backend = await selectBackend(config.backend, { log: ctx.log, precision: config.precision, oneDnn: trainingUsesOneDnn(config.model.family) });
  const dataset = await loadDataset(root, {
    ...datasetLoadOptions(config, ctx.cacheDir),
    onProgress: (done, total) => ctx.interactive && ctx.write(`\rDecoding images ${done}/${total}${done === total ? "\n" : ""}`),
  });
  const rng = makeRng(config.seed);
  const splits = limitedSplits(dataset, config, rng);
  // What the run would refuse (a class missing from a split) is refused here too.
  checkClassCoverage(splits, { classes: config.dataset.classes, root });
  return { root, backend, dataset, rng, splits };
}
