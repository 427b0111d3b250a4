import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { readWeightManifest } from "../../src/transfer/read_weight_manifest.ts";
import { FACE_API_MODELS as MODELS } from "./transfer_fixtures.ts";

describe("readWeightManifest", () => {
  it("names the folder and the install command when the manifest is missing", async () => {
    await expect(readWeightManifest("/no/such/dir", "face_expression_model", { install: "npm ci" })).rejects.toThrow(
      "Cannot read the weights /no/such/dir/face_expression_model-weights_manifest.json",
    );
    await expect(readWeightManifest("/no/such/dir", "face_expression_model", { install: "npm ci" })).rejects.toThrow("install them with: npm ci");
  });

  it("hashes the files the same way each time", async () => {
    const a = await readWeightManifest(MODELS, "face_expression_model", { install: "npm ci" });
    const b = await readWeightManifest(MODELS, "face_expression_model", { install: "npm ci" });
    tf.dispose([...Object.values(a.weights), ...Object.values(b.weights)]);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).toBe(b.sha256);
  });
});
