/**
 * Reads a tfjs model (layers or graph format) from a path, a file:// URL or
 * an http(s):// URL: model.json and its weight shards, nothing else.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** What {@linkcode readModelArtifacts} returns. */
export interface ModelFiles {
  /** The model, ready for tf.loadLayersModel / tf.loadGraphModelSync through tf.io.fromMemory. */
  artifacts: tf.io.ModelArtifacts;
  /** "graph" for a converted TF graph (format graph-model), "layers" for a Keras-style layers model. */
  kind: "layers" | "graph";
  /** SHA-256 (hex) of model.json and the weight bytes. */
  sha256: string;
}

/**
 * Reads `model.json` and its weights. `source` is a model.json (or a folder
 * holding one) given as a path (relative to `projectRoot`), a `file://` URL,
 * or an `http://`/`https://` URL; only the last goes to the network, and only
 * because the user named it.
 *
 * @param source Where the model is.
 * @param options `projectRoot` for relative paths; `fetch` to replace the global fetch (tests).
 * @returns The artifacts, the format and a hash of the files.
 * @throws {ConfigError} When a file cannot be read or fetched, or model.json is not a tfjs model.
 * @example
 * ```ts
 * const { kind, artifacts } = await readModelArtifacts(".cache/models/human-models/emotion.json", { projectRoot: "." });
 * console.assert(kind === "graph" && artifacts.weightSpecs!.length > 0);
 * ```
 */
export async function readModelArtifacts(
  source: string,
  options: { projectRoot: string; fetch?: typeof fetch },
): Promise<ModelFiles> {
  const remote = /^https?:\/\//i.test(source);
  const read = remote ? fetchReader(options.fetch ?? fetch) : readFile;
  const location = remote ? source : localPath(source, options.projectRoot);
  const jsonLocation = remote || location.endsWith(".json") ? location : join(location, "model.json");
  const near = (path: string) => (remote ? new URL(path, jsonLocation).href : join(dirname(jsonLocation), path));
  const hash = createHash("sha256");
  try {
    const jsonBytes = await read(jsonLocation);
    hash.update(jsonBytes);
    const modelJson = JSON.parse(new TextDecoder().decode(jsonBytes)) as tf.io.ModelJSON;
    if (modelJson.modelTopology == null || !Array.isArray(modelJson.weightsManifest)) {
      throw new Error("it has no modelTopology and weightsManifest");
    }
    const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((path) => read(near(path))));
      for (const shard of shards) hash.update(shard);
      const buffers = shards.map((s) => s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer);
      return [manifest.flatMap((group) => group.weights), tf.io.concatenateArrayBuffers(buffers)];
    });
    const topology = modelJson.modelTopology as { node?: unknown };
    const kind = modelJson.format === "graph-model" || Array.isArray(topology.node) ? "graph" : "layers";
    return { artifacts, kind, sha256: hash.digest("hex") };
  } catch (error) {
    throw new ConfigError(
      `Cannot read the tfjs model at ${source} (${(error as Error).message}); give the path or URL of a model.json ` +
        "written by tfjs (tensorflowjs_converter or model.save), with its weight files beside it",
    );
  }
}

function localPath(source: string, projectRoot: string): string {
  if (/^file:\/\//i.test(source)) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(projectRoot, source);
}

function fetchReader(fetcher: typeof fetch): (url: string) => Promise<Uint8Array> {
  return async (url) => {
    const response = await fetcher(url);
    if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
