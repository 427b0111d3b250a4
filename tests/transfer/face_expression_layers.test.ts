/**
 * The LayersModel rebuild of face-api's expression network against face-api itself:
 * fixtures/face_api_reference.json holds its outputs on two gray images
 * (written by fixtures/face_api_reference.cjs with face-api's own code).
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { FACE_EXPRESSION_INPUT_SIZE, faceExpressionLayers } from "../../src/transfer/face_expression_layers.ts";
import { readWeightManifest } from "../../src/transfer/read_weight_manifest.ts";
import { FACE_API_MODELS, faceApiInput, faceApiReference, maxAbsDifference, referenceImage } from "./transfer_fixtures.ts";

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("faceExpressionLayers", () => {
  it("reproduces face-api's 256-d features and 7 probabilities on both reference images", async () => {
    const { weights } = await readWeightManifest(FACE_API_MODELS, "face_expression_model", { install: "npm ci" });
    const { input, output } = faceApiInput(FACE_EXPRESSION_INPUT_SIZE);
    const { features, probabilities } = faceExpressionLayers(output, weights, { classifier: true });
    const model = tf.model({ inputs: input, outputs: [features, probabilities!] });
    tf.dispose(Object.values(weights));
    for (const expected of faceApiReference().cases) {
      const [f, p] = model.predict(referenceImage(FACE_EXPRESSION_INPUT_SIZE, expected.pattern)) as tf.Tensor[];
      expect(maxAbsDifference(f.dataSync(), expected.expressionFeatures)).toBeLessThan(1e-4);
      expect(maxAbsDifference(p.dataSync(), expected.expressionProbabilities)).toBeLessThan(1e-5);
    }
    model.dispose();
  });

  it("lists its 16 weighted feature layers, input to output, without the classifier", async () => {
    const { weights } = await readWeightManifest(FACE_API_MODELS, "face_expression_model", { install: "npm ci" });
    const { layers, probabilities } = faceExpressionLayers(tf.input({ shape: [112, 112, 3] }), weights);
    tf.dispose(Object.values(weights));
    expect(probabilities).toBeNull();
    expect(layers).toHaveLength(16);
    expect(layers[0].name).toBe("face_expr_dense0_conv0");
    expect(layers.at(-1)!.name).toBe("face_expr_dense3_conv3");
  });

  it("names the weight that is missing", () => {
    expect(() => faceExpressionLayers(tf.input({ shape: [112, 112, 3] }), {})).toThrow(ConfigError);
    expect(() => faceExpressionLayers(tf.input({ shape: [112, 112, 3] }), {})).toThrow('Face expression weight "dense0/conv0/filters" is missing');
  });
});
