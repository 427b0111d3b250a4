import { beforeAll, describe, expect, it } from "vitest";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, saveModel } from "../../src/experiment/model_files.ts";
import { writeGraphLayers } from "../../src/transfer/graph_layer_files.ts";
import { graphModelLayer } from "../../src/transfer/graph_model_layer.ts";
import { readModelArtifacts } from "../../src/transfer/read_model_artifacts.ts";
import { tempDir, writeTinyGraphModel } from "./transfer_fixtures.ts";

let model: tf.LayersModel;
beforeAll(async () => {
  await tf.setBackend("cpu");
  const path = await writeTinyGraphModel(join(await tempDir("graph-files"), "graph"));
  const { artifacts } = await readModelArtifacts(path, { projectRoot: "." });
  const input = tf.input({ shape: [2, 2, 1] });
  const output = graphModelLayer(artifacts, { outputNode: "out", pooling: "avg", inputShape: [2, 2, 1], name: "g" }).apply(input) as tf.SymbolicTensor;
  model = tf.model({ inputs: input, outputs: output });
});

describe("writeGraphLayers", () => {
  it("writes each graph layer's graph, weights and output node into a folder named after the layer", async () => {
    const dir = await tempDir("graph-files-out");
    expect(await writeGraphLayers(model, dir)).toEqual(["g"]);
    expect((await readdir(join(dir, "g"))).sort()).toEqual(["model.json", "output.json", "weights.bin"]);
  });

  it("writes nothing for a model without graph layers", async () => {
    const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const dir = await tempDir("graph-files-none");
    expect(await writeGraphLayers(plain, dir)).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("attachGraphLayers (through loadModel)", () => {
  it("explains that the model folder is incomplete when a graph folder is missing", async () => {
    const dir = join(await tempDir("graph-files-broken"), "model");
    await saveModel(model, dir);
    await rm(join(dir, "g"), { recursive: true });
    await expect(loadModel(dir)).rejects.toThrow("the model folder is incomplete: rerun the experiment");
  });
});
