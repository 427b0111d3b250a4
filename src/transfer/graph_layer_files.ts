/**
 * Stores the graphs of a model's graph layers beside its model.json, and
 * attaches them again after loading: a run's model/ folder stays complete
 * on its own (no reference to a cache or package folder).
 *
 * Layout: `<model dir>/<layer name>/model.json` (the graph, weights in
 * `weights.bin`) and `<layer name>/output.json` (`{ outputNode, pooling }`).
 *
 * @module
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { GraphModelLayer, type GraphOutputSpec } from "./graph_model_layer.ts";
import { readModelArtifacts } from "./read_model_artifacts.ts";

const OUTPUT_JSON = "output.json";

/**
 * Writes the graph of every {@linkcode GraphModelLayer} of `model` into `dir`.
 *
 * @param model A model, possibly without graph layers (then nothing is written).
 * @param dir The folder model.json is written to.
 * @returns The layer names written.
 * @example
 * ```ts
 * await writeGraphLayers(model, "results/runs/x/model");
 * ```
 */
export async function writeGraphLayers(model: tf.LayersModel, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof GraphModelLayer)) continue;
    const source = layer.source;
    if (source === null) throw new ConfigError(`Graph layer ${layer.name} has no graph attached, so it cannot be saved`);
    const { artifacts, spec } = source;
    const folder = join(dir, layer.name);
    await mkdir(folder, { recursive: true });
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0));
    const modelJson = {
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy,
      modelTopology: artifacts.modelTopology,
      signature: artifacts.signature,
      userDefinedMetadata: artifacts.userDefinedMetadata,
      modelInitializer: artifacts.modelInitializer,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(join(folder, "weights.bin"), new Uint8Array(weightData));
    await writeFile(join(folder, "model.json"), JSON.stringify(modelJson));
    await writeFile(join(folder, OUTPUT_JSON), JSON.stringify(spec));
    written.push(layer.name);
  }
  return written;
}

/**
 * Attaches to every graph layer of a loaded model the graph stored in `dir`.
 *
 * @param model A model loaded from `dir/model.json`.
 * @param dir Its folder.
 * @returns The layer names attached.
 * @throws {ConfigError} When a layer's graph folder is missing or unreadable.
 * @example
 * ```ts
 * const model = await tf.loadLayersModel(handler);
 * await attachGraphLayers(model, "results/runs/x/model");
 * ```
 */
export async function attachGraphLayers(model: tf.LayersModel, dir: string): Promise<string[]> {
  const attached: string[] = [];
  for (const layer of model.layers) {
    if (!(layer instanceof GraphModelLayer)) continue;
    const folder = join(dir, layer.name);
    let spec: GraphOutputSpec;
    try {
      spec = JSON.parse(await readFile(join(folder, OUTPUT_JSON), "utf8")) as GraphOutputSpec;
    } catch (error) {
      throw new ConfigError(
        `Graph layer ${layer.name} has no readable ${join(folder, OUTPUT_JSON)} (${(error as Error).message}); ` +
          "the model folder is incomplete: rerun the experiment",
      );
    }
    const { artifacts } = await readModelArtifacts(resolve(folder), { projectRoot: dir });
    layer.attach(artifacts, spec);
    attached.push(layer.name);
  }
  return attached;
}
