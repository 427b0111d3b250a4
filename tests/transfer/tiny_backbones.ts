/**
 * Small custom backbones for tests: a conv LayersModel and the hand-written
 * graph, saved to a temporary folder, with the config that names them.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { saveModel } from "../../src/experiment/model_files.ts";
import type { CustomBackboneConfig } from "../../src/transfer/backbone_registry.ts";
import { tempDir, writeTinyGraphModel } from "./transfer_fixtures.ts";

/**
 * Saves a 3-conv LayersModel (16x16 gray input, conv layers "c1", "c2", "c3", then a
 * 5-way dense "logits") and returns a custom backbone config taking "c3" as features.
 */
export async function tinyLayersBackbone(): Promise<CustomBackboneConfig> {
  const dir = join(await tempDir("tiny-layers"), "model");
  const seed = (n: number) => tf.initializers.glorotUniform({ seed: n });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [16, 16, 1], filters: 4, kernelSize: 3, strides: 2, activation: "relu", name: "c1", kernelInitializer: seed(1) }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: "relu", name: "c2", kernelInitializer: seed(2) }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: "relu", name: "c3", kernelInitializer: seed(3) }),
      tf.layers.flatten({ name: "flat" }),
      tf.layers.dense({ units: 5, name: "logits", kernelInitializer: seed(4) }),
    ],
  });
  await saveModel(model, dir);
  model.dispose();
  return { url: dir, featureNode: "c3", inputSize: 16, channels: 1, normalization: "zero_to_one", pooling: "avg" };
}

/** The hand-written 2x2 graph (see writeTinyGraphModel) as a custom backbone, features from node "scaled". */
export async function tinyGraphBackbone(): Promise<CustomBackboneConfig> {
  const path = await writeTinyGraphModel(join(await tempDir("tiny-graph"), "graph"));
  return { url: path, featureNode: "scaled", inputSize: 2, channels: 1, normalization: "raw", pooling: "flatten" };
}
