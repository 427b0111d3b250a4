/**
 * Assembles the manifest a run starts with.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/load_dataset.ts";
import type { ImageSet } from "../data/image_set.ts";
import type { BackendInfo } from "../backend/backend_info.ts";
import type { RunConfig } from "./run_config.ts";
import { codeVersion, environmentInfo, type RunManifest } from "./run_manifest.ts";
import { currentRunProcess, type RunHandle } from "./run_store.ts";

/**
 * Builds the initial manifest (status "running").
 *
 * @param facts The run, its config, the chosen backend, the dataset and the
 *   splits actually used (after any limit), the project root (for git) and the start time.
 * @returns The manifest.
 * @example
 * ```ts
 * const manifest = buildManifest({ run, config, backend, dataset, splits, projectRoot: ".", startedAt: new Date() });
 * console.assert(manifest.status === "running");
 * ```
 */
export function buildManifest(facts: {
  run: RunHandle;
  config: RunConfig;
  backend: BackendInfo;
  dataset: Dataset;
  splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
  projectRoot: string;
  startedAt: Date;
}): RunManifest {
  const { run, config, backend, dataset, splits } = facts;
  return {
    id: run.id,
    name: config.name,
    status: "running",
    seed: config.seed,
    code: codeVersion(facts.projectRoot),
    environment: environmentInfo(),
    process: currentRunProcess(),
    config: structuredClone(config),
    backend: { ...backend },
    dataset: {
      root: dataset.root,
      fingerprint: dataset.fingerprint,
      synthetic: dataset.synthetic,
      classes: [...dataset.classes],
      counts: {
        train: splits.train.count,
        validation: splits.validation.count,
        test: splits.test?.count ?? 0,
      },
      validationSource: dataset.validationSource,
      leakage: dataset.leakage === null ? undefined : {
        hammingThreshold: dataset.leakage.hammingThreshold,
        counts: dataset.leakage.counts,
        dropped: dataset.droppedLeaked,
      },
    },
    versions: { "@tensorflow/tfjs": tf.version.tfjs, ...tf.version },
    startedAt: facts.startedAt.toISOString(),
    finishedAt: null,
    durations: { totalSeconds: null, trainSeconds: null, evalSeconds: null },
  };
}
