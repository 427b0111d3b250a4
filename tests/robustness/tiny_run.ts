/**
 * A tiny trained run on synthetic faces, shared by the robustness, fairness and card tests.
 *
 * @module
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { runExperiment } from "../../src/experiment/run_experiment.ts";
import type { RunHandle } from "../../src/experiment/run_store.ts";

/** A finished run, its results root and its dataset root. */
export interface TinyRun {
  run: RunHandle;
  resultsRoot: string;
  dataRoot: string;
}

/**
 * Trains a two-epoch small CNN on 24-pixel synthetic faces (validation 8 per class) into a fresh results folder.
 *
 * @param name Run name.
 * @param dataset Dataset settings beside root and size (e.g. `{ equalize: true }`).
 * @returns The run.
 */
export async function makeTinyRun(name = "tiny", dataset: Record<string, unknown> = {}): Promise<TinyRun> {
  const base = await mkdtemp(join(tmpdir(), "fer-tiny-run-"));
  const dataRoot = join(base, "synthetic");
  await generateSyntheticDataset(dataRoot, { perClass: { train: 24, validation: 8, test: 4 }, seed: 5 });
  const resultsRoot = join(base, "results");
  const config = parseRunConfig({
    name,
    seed: 7,
    backend: "wasm",
    dataset: { ...dataset, root: dataRoot, size: 24 },
    model: { family: "small_cnn", filters: [4, 8], denseUnits: 8 },
    training: { epochs: 2, batchSize: 16 },
  });
  const { run } = await runExperiment(config, {
    projectRoot: ".",
    resultsRoot,
    cacheDir: null,
    log: () => {},
    write: () => {},
    interactive: false,
    imagePlots: false,
  });
  return { run, resultsRoot, dataRoot };
}
