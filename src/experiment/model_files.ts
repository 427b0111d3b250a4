/**
 * Saves and loads tfjs LayersModels as model.json + weights.bin in a folder.
 *
 * tfjs's `file://` handler exists only in tfjs-node, so this writes the same
 * format (the tfjs layers-model format, loadable by tf.loadLayersModel from a
 * URL or by tfjs-node) with plain file I/O.
 *
 * @module
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import * as tf from "@tensorflow/tfjs";
// Models hold the workbench's custom layers; importing this registers them for loading.
import "../models/custom_layers.ts";
import { attachGraphLayers, writeGraphLayers } from "../transfer/graph_layer_files.ts";
import { diskFullOr, RunError } from "../core/errors.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/**
 * Writes the model to `dir` (replacing what is there) via a temporary folder
 * renamed into place, so a crash never leaves half a model. The graphs of
 * graph-backbone layers go into subfolders named after the layers.
 *
 * @param model The model.
 * @param dir Destination folder, e.g. `results/runs/<id>/model`.
 * @returns Resolves when the folder is complete.
 * @example
 * ```ts
 * await saveModel(model, "results/runs/x/model");
 * const again = await loadModel("results/runs/x/model");
 * ```
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const temporary = `${dir}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeModelFolder(model, temporary);
    await rm(dir, { recursive: true, force: true });
    await rename(temporary, dir);
  } catch (error) {
    // A half-written copy would keep a full disk full.
    await rm(temporary, { recursive: true, force: true }).catch(() => {});
    throw diskFullOr(error, dir);
  }
}

async function writeModelFolder(model: tf.LayersModel, temporary: string): Promise<void> {
  await mkdir(temporary, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(join(temporary, WEIGHTS_BIN), new Uint8Array(weightData));
    await writeFile(join(temporary, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  await writeGraphLayers(model, temporary);
}

/**
 * Loads a model written by {@linkcode saveModel} (or any single-shard tfjs layers
 * model), with the graphs of its graph-backbone layers attached.
 *
 * @param dir Folder holding model.json and its weight file.
 * @returns The model, on the active backend.
 * @throws Error naming the folder when model.json is missing or unreadable.
 * @example
 * ```ts
 * const model = await loadModel("results/runs/x/model");
 * ```
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const fix = "the run saved no complete model (it stopped before its first saved epoch, or the files were changed); " +
    "train it again with: deno task fer rerun <run-id> --force";
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_JSON), "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new RunError(`No model in ${dir}: ${missing ? `${MODEL_JSON} is missing` : (error as Error).message}; ${fix}`);
  }
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(text);
    if (!Array.isArray(modelJson.weightsManifest) || typeof modelJson.modelTopology !== "object" || modelJson.modelTopology === null) {
      throw new Error("no modelTopology or weightsManifest");
    }
  } catch (error) {
    throw new RunError(`The model in ${dir} is damaged: ${MODEL_JSON} is not a tfjs model (${(error as Error).message}); ${fix}`);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const buffers = await Promise.all(paths.map(async (path) => {
    try {
      return await readFile(join(dir, path));
    } catch (error) {
      throw new RunError(`The model in ${dir} is incomplete: weight file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ${fix}`);
    }
  }));
  const expected = weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * bytesPer(spec.dtype), 0);
  const found = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  if (found !== expected && !weightSpecs.some((spec) => spec.quantization)) {
    throw new RunError(`The model in ${dir} is damaged: its weight files hold ${found} bytes where ${MODEL_JSON} describes ${expected}; ${fix}`);
  }
  const weightData = tf.io.CompositeArrayBuffer.join(
    buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs,
      weightData,
      format: modelJson.format,
    }));
  } catch (error) {
    throw new RunError(`The model in ${dir} cannot be built from ${MODEL_JSON} (${(error as Error).message}); ${fix}`);
  }
  await attachGraphLayers(model, dir);
  return model;
}

/**
 * SHA-256 over every file of a saved model folder (model.json, its weights
 * and any graph-layer subfolders), in path order: the same digest means the
 * same model, whatever run id or folder it sits in.
 *
 * @param dir A folder written by {@linkcode saveModel}.
 * @returns 64 lower-case hex digits.
 * @throws Error from the file system when the folder cannot be read.
 * @example
 * ```ts
 * const same = await modelDigest("results/runs/a/model") === await modelDigest("results/runs/b/model");
 * ```
 */
export async function modelDigest(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  await walk("");
  files.sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file}\n`).update(await readFile(join(dir, file)));
  return hash.digest("hex");
}

// Bytes per weight value; quantised weights (uint8/uint16) are not written by saveModel.
function bytesPer(dtype: string): number {
  return dtype === "uint8" || dtype === "bool" ? 1 : dtype === "uint16" || dtype === "float16" ? 2 : 4;
}
