/**
 * Test inputs for runs, shared by the experiment, train, sweep, CLI, video,
 * notebook and transfer tests: a run whose model gives the same probabilities
 * for every image (so scores restricted to some classes can be computed by
 * hand), a small synthetic dataset, a tiny model and run config, and a run
 * context that keeps its log lines.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { generateSyntheticDataset } from "../../src/data/synthetic_faces.ts";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { saveModel } from "../../src/experiment/model_files.ts";
import { createRun, runPath } from "../../src/experiment/run_store.ts";
import type { RunContext } from "../../src/experiment/run_context.ts";

/** FER-2013's seven classes, in its label order. */
export const FER2013_CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];

/**
 * The probability the constant model gives each of {@linkcode FER2013_CLASSES}:
 * angry wins over all seven; among happy, sad, surprise and neutral
 * (0.10, 0.20, 0.18, 0.12, summing to 0.60) sad wins with 0.20 / 0.60 = 1/3.
 */
export const CONSTANT_PROBABILITIES = [0.30, 0.05, 0.05, 0.10, 0.12, 0.20, 0.18];

/**
 * A results folder holding one run with FER-2013's seven classes whose model
 * (flatten + dense with zero kernel and log-probability bias, softmax) gives
 * {@linkcode CONSTANT_PROBABILITIES} for every 24x24 gray image. Starts the wasm backend.
 */
export async function constantRun(): Promise<{ resultsRoot: string; runId: string }> {
  await selectBackend("wasm");
  const resultsRoot = await mkdtemp(join(tmpdir(), "fer-restricted-results-"));
  const config = parseRunConfig({ name: "constant_fer2013", dataset: { root: "synthetic", size: 24, classes: FER2013_CLASSES }, model: { family: "small_cnn" } });
  const run = await createRun(resultsRoot, config, { name: "constant_fer2013", now: new Date() });
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [24, 24, 1] }), tf.layers.dense({ units: FER2013_CLASSES.length, activation: "softmax" })],
  });
  const weights = [tf.zeros([24 * 24, FER2013_CLASSES.length]), tf.tensor1d(CONSTANT_PROBABILITIES.map(Math.log))];
  model.layers[1].setWeights(weights);
  tf.dispose(weights);
  await saveModel(model, runPath(run, "model"));
  model.dispose();
  return { resultsRoot, runId: run.id };
}

/** A synthetic dataset of the four default classes (happy, sad, surprise, neutral) with 5 test images each and nothing else. */
export async function fourClassTestSet(): Promise<string> {
  const root = join(await mkdtemp(join(tmpdir(), "fer-restricted-data-")), "four_classes");
  await generateSyntheticDataset(root, { perClass: { train: 0, validation: 0, test: 5 }, seed: 5 });
  return root;
}

/** The tiny small CNN of the training tests (two conv blocks of 4 and 8 filters, dense 8). */
export const TINY_MODEL = { family: "small_cnn", filters: [4, 8], denseUnits: 8 };

/**
 * A run config (as JSON) of {@linkcode TINY_MODEL} on 24x24 images of `dataRoot`,
 * one epoch at batch 16 on the cpu backend, seed 7, named "tiny".
 *
 * @param dataRoot The dataset folder.
 * @param extra Top-level fields replaced (name, seed, dataset, model, ...).
 * @param training Training fields replaced.
 */
export function tinyRunConfig(dataRoot: string, extra: Record<string, unknown> = {}, training: Record<string, unknown> = {}) {
  return {
    name: "tiny",
    seed: 7,
    backend: "cpu",
    dataset: { root: dataRoot, size: 24 },
    model: TINY_MODEL,
    training: { epochs: 1, batchSize: 16, ...training },
    ...extra,
  };
}

/** A run context over a new temporary results folder that keeps every log line in `logs`. */
export async function loggingRunContext(): Promise<RunContext & { logs: string[] }> {
  const logs: string[] = [];
  return {
    projectRoot: ".",
    resultsRoot: await mkdtemp(join(tmpdir(), "fer-run-results-")),
    cacheDir: null,
    log: (line) => logs.push(line),
    write: () => {},
    interactive: false,
    imagePlots: false,
    logs,
  };
}
