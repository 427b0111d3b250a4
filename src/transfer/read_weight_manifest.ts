/**
 * Reads weights stored as a tfjs weights manifest (face-api's model/ files):
 * `<name>-weights_manifest.json` beside its binary shards.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** What {@linkcode readWeightManifest} returns. */
export interface WeightManifestContents {
  /** Every weight by its manifest name, dequantised to float32. The caller disposes them. */
  weights: tf.NamedTensorMap;
  /** SHA-256 (hex) of the manifest and its shards: changes whenever the weights do. */
  sha256: string;
}

/**
 * Reads `<dir>/<name>-weights_manifest.json` and its shards.
 *
 * @param dir Folder of the manifest, e.g. `node_modules/@vladmandic/face-api/model`.
 * @param name Model name, e.g. `face_recognition_model`.
 * @param options `install`: the command that puts the files there, for the error message.
 * @returns The weights and a hash of the files.
 * @throws {ConfigError} When the manifest or a shard is missing or unreadable, naming `install`.
 * @example
 * ```ts
 * const { weights } = await readWeightManifest("node_modules/@vladmandic/face-api/model", "face_expression_model", { install: "npm ci" });
 * console.assert(weights["fc/bias"].shape[0] === 7);
 * ```
 */
export async function readWeightManifest(dir: string, name: string, options: { install: string }): Promise<WeightManifestContents> {
  const manifestPath = join(dir, `${name}-weights_manifest.json`);
  const hash = createHash("sha256");
  let groups: tf.io.WeightsManifestConfig;
  let shards: Uint8Array[];
  try {
    const text = await readFile(manifestPath, "utf8");
    hash.update(text);
    groups = JSON.parse(text) as tf.io.WeightsManifestConfig;
    shards = await Promise.all(groups.flatMap((group) => group.paths).map((path) => readFile(join(dir, path))));
  } catch (error) {
    throw new ConfigError(
      `Cannot read the weights ${manifestPath} (${(error as Error).message}); install them with: ${options.install}`,
    );
  }
  for (const shard of shards) hash.update(shard);
  const joined = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.length;
  }
  const weights = tf.io.decodeWeights(joined.buffer, groups.flatMap((group) => group.weights));
  return { weights, sha256: hash.digest("hex") };
}
