import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { buildTransferModel, type TransferModelOptions } from "../../src/transfer/build_transfer_model.ts";
import { loadBackbone } from "../../src/transfer/load_backbone.ts";
import { maxAbsDifference } from "./transfer_fixtures.ts";
import { tinyGraphBackbone, tinyLayersBackbone } from "./tiny_backbones.ts";

beforeAll(async () => {
  await selectBackend("wasm");
});

const classes = ["happy", "sad", "surprise", "neutral"];
const options = (extra: Partial<TransferModelOptions> = {}): TransferModelOptions => ({
  inputShape: [12, 12, 1],
  inputScale: 255,
  classes,
  mode: "frozen",
  head: { hiddenUnits: [], dropout: 0 },
  unfreezeLast: 1,
  seed: 3,
  ...extra,
});
const trainableNames = (model: tf.LayersModel) => model.trainableWeights.map((w) => w.originalName).sort();

describe("buildTransferModel", () => {
  it("maps dataset images to probabilities through adapter, backbone and head", async () => {
    const backbone = await loadBackbone(await tinyLayersBackbone(), { projectRoot: "." });
    const built = buildTransferModel(backbone, options());
    expect(built.model.inputs[0].shape).toEqual([null, 12, 12, 1]);
    expect(built.model.outputs[0].shape).toEqual([null, 4]);
    expect(built.extractor?.outputs[0].shape).toEqual([null, 6]);
    // The saved model is exactly the head applied to the extractor's features.
    const x = tf.randomUniform([3, 12, 12, 1], 0, 1, "float32", 2);
    const features = built.extractor!.predict(x) as tf.Tensor2D;
    const viaHead = built.head!.predict(features.reshape([3, 1, 1, 6])) as tf.Tensor;
    expect(maxAbsDifference((built.model.predict(x) as tf.Tensor).dataSync(), viaHead.dataSync())).toBeLessThan(1e-6);
    built.dispose();
    backbone.dispose();
  });

  it("trains only the head in frozen mode", async () => {
    const backbone = await loadBackbone(await tinyLayersBackbone(), { projectRoot: "." });
    const built = buildTransferModel(backbone, options());
    expect(trainableNames(built.model)).toEqual(["transfer_head_output/bias", "transfer_head_output/kernel"]);
    expect(built.trainableBackboneLayers).toBe(0);
    built.dispose();
    backbone.dispose();
  });

  it("also trains the last unfreezeLast backbone layers in fine_tune mode", async () => {
    const backbone = await loadBackbone(await tinyLayersBackbone(), { projectRoot: "." });
    const built = buildTransferModel(backbone, options({ mode: "fine_tune", unfreezeLast: 2 }));
    expect(trainableNames(built.model)).toEqual(["c2/bias", "c2/kernel", "c3/bias", "c3/kernel", "transfer_head_output/bias", "transfer_head_output/kernel"]);
    expect(built.trainableBackboneLayers).toBe(2);
    built.dispose();
    backbone.dispose();
  });

  it("refuses to fine-tune a graph backbone", async () => {
    const backbone = await loadBackbone(await tinyGraphBackbone(), { projectRoot: "." });
    expect(() => buildTransferModel(backbone, options({ inputShape: [2, 2, 1], mode: "fine_tune" }))).toThrow(ConfigError);
    expect(() => buildTransferModel(backbone, options({ inputShape: [2, 2, 1], mode: "fine_tune" }))).toThrow("cannot be fine-tuned");
  });

  it("restricts a packaged classifier to the dataset's classes in pretrained mode", async () => {
    const backbone = await loadBackbone("face_api_expression", { projectRoot: "." });
    const built = buildTransferModel(backbone, options({ inputShape: [48, 48, 1], mode: "pretrained" }));
    expect(built.extractor).toBeNull();
    expect(built.model.trainableWeights).toEqual([]);
    const p = (built.model.predict(tf.randomUniform([2, 48, 48, 1], 0, 1, "float32", 4)) as tf.Tensor).arraySync() as number[][];
    for (const row of p) {
      expect(row).toHaveLength(4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    built.dispose();
    backbone.dispose();
  });

  it("frees every tensor it made when disposed", async () => {
    const before = tf.memory().numTensors;
    const backbone = await loadBackbone("face_api_expression", { projectRoot: "." });
    const built = buildTransferModel(backbone, options({ head: { hiddenUnits: [8], dropout: 0.2 } }));
    built.dispose();
    backbone.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
