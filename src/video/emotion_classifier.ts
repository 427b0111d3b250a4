/**
 * Loads a trained run's model as a face classifier (see classify_faces.ts).
 *
 * The model is loaded with the experiment's own loader (`loadModel`), so any
 * single-model run works: CNNs and transfer models alike.
 *
 * @module
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { loadModel } from "../experiment/model_files.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { openRun, readRunJson, runPath } from "../experiment/run_store.ts";
import type { EmotionClassifier } from "./classify_faces.ts";

/**
 * Opens a run and loads its model for classifying face crops.
 *
 * @param resultsRoot Results folder holding `runs/`.
 * @param runId The run id (see `deno task fer list`).
 * @returns The classifier.
 * @throws {ConfigError} When the run does not exist, is an ensemble, or has no saved model yet.
 * @example
 * ```ts
 * const classifier = await loadEmotionClassifier("results", "20261202-035623-capstone_cnn-8c8ac1");
 * console.assert(classifier.classes.length === 4);
 * ```
 */
export async function loadEmotionClassifier(resultsRoot: string, runId: string): Promise<EmotionClassifier> {
  const run = await openRun(resultsRoot, runId);
  const config = await readRunJson<RunConfig & { kind?: string }>(run, "config");
  if (!config || config.kind === "ensemble" || !config.dataset) {
    throw new ConfigError(
      `Run ${runId} is ${config?.kind === "ensemble" ? "an ensemble" : "not a single-model run"}; pass a single-model run id (deno task fer list shows them)`,
    );
  }
  const modelDir = runPath(run, "model");
  try {
    await access(join(modelDir, "model.json"));
  } catch {
    throw new ConfigError(
      `Run ${runId} has no saved model (${join(modelDir, "model.json")} is missing): it is still before its first epoch ` +
        "or failed; pick a finished run from deno task fer list",
    );
  }
  const model = await loadModel(modelDir);
  return {
    runId,
    classes: [...config.dataset.classes],
    size: config.dataset.size,
    channels: config.dataset.channels as 1 | 3,
    preprocessing: config.dataset.preprocessing,
    equalize: config.dataset.equalize,
    model,
  };
}
