import { beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { FETCH_HUMAN_MODELS, HUMAN_MODELS_DIR } from "../../src/transfer/backbone_registry.ts";
import { loadBackbone } from "../../src/transfer/load_backbone.ts";
import { tempDir } from "./transfer_fixtures.ts";
import { tinyGraphBackbone, tinyLayersBackbone } from "./tiny_backbones.ts";

beforeAll(async () => {
  await selectBackend("wasm");
});

const humanModels = existsSync(`${HUMAN_MODELS_DIR}/emotion.json`);

describe("loadBackbone", () => {
  it("loads face_api_expression with its input facts, 256 features and a 7-way classifier", async () => {
    const backbone = await loadBackbone("face_api_expression", { projectRoot: "." });
    expect([backbone.kind, backbone.inputSize, backbone.channels]).toEqual(["layers", 112, 3]);
    expect(backbone.normalization.std).toEqual([255, 255, 255]);
    expect(backbone.classifierLabels).toContain("surprised");
    expect(backbone.features(tf.input({ shape: [112, 112, 3] })).output.shape).toEqual([null, 256]);
    backbone.dispose();
  });

  it("gives the same fingerprint for the same files and settings", async () => {
    const a = await loadBackbone("face_api_recognition", { projectRoot: "." });
    const b = await loadBackbone("face_api_recognition", { projectRoot: "." });
    const c = await loadBackbone("face_api_expression", { projectRoot: "." });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    [a, b, c].forEach((backbone) => backbone.dispose());
  });

  it("refuses a classifier from a backbone that has none", async () => {
    const backbone = await loadBackbone("face_api_recognition", { projectRoot: "." });
    expect(() => backbone.classifier(tf.input({ shape: [150, 150, 3] }))).toThrow("has no packaged classifier");
    backbone.dispose();
  });

  it("names the fetch command when human-models' files are absent", async () => {
    const root = await tempDir("no-human-models");
    await expect(loadBackbone("human_emotion", { projectRoot: root })).rejects.toThrow(ConfigError);
    await expect(loadBackbone("human_emotion", { projectRoot: root })).rejects.toThrow(`fetch it with: ${FETCH_HUMAN_MODELS}`);
  });

  it("rejects an unknown name, listing the known ones", async () => {
    await expect(loadBackbone("vgg_face" as "human_emotion", { projectRoot: "." })).rejects.toThrow(
      'Unknown backbone "vgg_face" at model.backbone; known: face_api_expression, face_api_recognition',
    );
  });

  it("takes features from a named layer of a custom layers model, pooled over height and width", async () => {
    const backbone = await loadBackbone(await tinyLayersBackbone(), { projectRoot: "." });
    expect(backbone.kind).toBe("layers");
    const { output, layers } = backbone.features(tf.input({ shape: [16, 16, 1] }));
    expect(output.shape).toEqual([null, 6]);
    expect(layers.map((layer) => layer.name)).toEqual(["c1", "c2", "c3"]);
    backbone.dispose();
  });

  it("lists a custom model's last layers when the feature layer is not there", async () => {
    const config = { ...(await tinyLayersBackbone()), featureNode: "c9" };
    await expect(loadBackbone(config, { projectRoot: "." })).rejects.toThrow('Layer "c9" is not in');
    await expect(loadBackbone(config, { projectRoot: "." })).rejects.toThrow("c1, c2, c3, flat, logits");
  });

  it("takes features from a node of a custom graph model", async () => {
    const backbone = await loadBackbone(await tinyGraphBackbone(), { projectRoot: "." });
    expect(backbone.kind).toBe("graph");
    expect(backbone.features(tf.input({ shape: [2, 2, 1] })).output.shape).toEqual([null, 4]);
  });

  it("changes the fingerprint when the feature node changes", async () => {
    const config = await tinyGraphBackbone();
    const a = await loadBackbone(config, { projectRoot: "." });
    const b = await loadBackbone({ ...config, featureNode: "out" }, { projectRoot: "." });
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });
});

describe.skipIf(!humanModels)(`loadBackbone with human-models${humanModels ? "" : ` (skipped: run ${FETCH_HUMAN_MODELS})`}`, () => {
  it("loads human_emotion: 256 pooled features and probabilities over its 7 emotions", async () => {
    const backbone = await loadBackbone("human_emotion", { projectRoot: "." });
    const input = tf.input({ shape: [64, 64, 1] });
    expect(backbone.features(input).output.shape).toEqual([null, 256]);
    const classifier = tf.model({ inputs: input, outputs: backbone.classifier(input) });
    const p = (classifier.predict(tf.randomUniform([3, 64, 64, 1], -1, 1, "float32", 5)) as tf.Tensor).arraySync() as number[][];
    for (const row of p) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
