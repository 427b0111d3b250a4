/**
 * The LayersModel rebuild of face-api's recognition network against face-api itself:
 * fixtures/face_api_reference.json holds its outputs on two gray images
 * (written by fixtures/face_api_reference.cjs with face-api's own code).
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { FACE_RECOGNITION_INPUT_SIZE, faceRecognitionLayers } from "../../src/transfer/face_recognition_layers.ts";
import { readWeightManifest } from "../../src/transfer/read_weight_manifest.ts";
import { FACE_API_MODELS, faceApiInput, faceApiReference, maxAbsDifference, referenceImage } from "./transfer_fixtures.ts";

beforeAll(async () => {
  await selectBackend("wasm");
});

describe("faceRecognitionLayers", () => {
  it("reproduces face-api's 128-d descriptor on both reference images", async () => {
    const { weights } = await readWeightManifest(FACE_API_MODELS, "face_recognition_model", { install: "npm ci" });
    const { input, output } = faceApiInput(FACE_RECOGNITION_INPUT_SIZE);
    const { descriptor, layers } = faceRecognitionLayers(output, weights);
    const model = tf.model({ inputs: input, outputs: descriptor });
    tf.dispose(Object.values(weights));
    expect(layers).toHaveLength(30);
    for (const expected of faceApiReference().cases) {
      const d = (model.predict(referenceImage(FACE_RECOGNITION_INPUT_SIZE, expected.pattern)) as tf.Tensor).dataSync();
      expect(maxAbsDifference(d, expected.recognitionDescriptor)).toBeLessThan(1e-5);
    }
    model.dispose();
  });
});
