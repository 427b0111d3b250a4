import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { loadModel, saveModel } from "../../src/experiment/model_files.ts";
import { GraphModelLayer, graphModelLayer } from "../../src/transfer/graph_model_layer.ts";
import { readModelArtifacts } from "../../src/transfer/read_model_artifacts.ts";
import { tempDir, writeTinyGraphModel } from "./transfer_fixtures.ts";

let artifacts: tf.io.ModelArtifacts;
beforeAll(async () => {
  await tf.setBackend("cpu");
  const path = await writeTinyGraphModel(join(await tempDir("graph-layer"), "graph"));
  artifacts = (await readModelArtifacts(path, { projectRoot: "." })).artifacts;
});

// The tiny graph multiplies each pixel of a 2x2 image by 1, 2, 3, 4.
const image = () => tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);

describe("graphModelLayer", () => {
  it("averages a 4-D node over height and width", () => {
    const layer = graphModelLayer(artifacts, { outputNode: "scaled", pooling: "avg", inputShape: [2, 2, 1] });
    expect(layer.outputDim).toBe(1);
    expect(Array.from((layer.apply(image()) as tf.Tensor).dataSync())).toEqual([(10 + 40 + 90 + 160) / 4]);
  });

  it("takes the maximum over height and width", () => {
    const layer = graphModelLayer(artifacts, { outputNode: "out", pooling: "max", inputShape: [2, 2, 1] });
    expect(Array.from((layer.apply(image()) as tf.Tensor).dataSync())).toEqual([160]);
  });

  it("flattens a node in row-major order", () => {
    const layer = graphModelLayer(artifacts, { outputNode: "out", pooling: "flatten", inputShape: [2, 2, 1] });
    expect(layer.outputDim).toBe(4);
    expect(Array.from((layer.apply(image()) as tf.Tensor).dataSync())).toEqual([10, 40, 90, 160]);
  });

  it("names the node when the graph has no such node", () => {
    expect(() => graphModelLayer(artifacts, { outputNode: "nope", pooling: "avg", inputShape: [2, 2, 1] })).toThrow(ConfigError);
    expect(() => graphModelLayer(artifacts, { outputNode: "nope", pooling: "avg", inputShape: [2, 2, 1] })).toThrow('Graph node "nope"');
  });

  it("is saved with its graph inside the model folder and computes the same after loading", async () => {
    const input = tf.input({ shape: [2, 2, 1] });
    const features = graphModelLayer(artifacts, { outputNode: "scaled", pooling: "flatten", inputShape: [2, 2, 1], name: "backbone_graph" })
      .apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2, name: "head" }).apply(features) as tf.SymbolicTensor });
    const dir = join(await tempDir("graph-save"), "model");
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers.some((layer) => layer instanceof GraphModelLayer)).toBe(true);
    expect(Array.from((loaded.predict(image()) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(image()) as tf.Tensor).dataSync()));
    model.dispose();
    loaded.dispose();
  });

  it("explains that a graph layer built from a config alone has no graph", () => {
    const layer = new GraphModelLayer({ outputDim: 4, name: "bare" });
    expect(() => layer.apply(image())).toThrow("Graph layer bare has no graph attached");
  });
});
