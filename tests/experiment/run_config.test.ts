import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { ConfigError } from "../../src/errors.ts";

const minimal = { name: "cnn", model: { family: "small_cnn" } };

describe("parseRunConfig", () => {
  it("fills in every default", () => {
    const config = parseRunConfig(minimal);
    expect(config.seed).toBe(42);
    expect(config.backend).toBe("auto");
    expect(config.dataset.classes).toEqual(["happy", "sad", "surprise", "neutral"]);
    expect(config.dataset.augmentation.horizontalFlip).toBe(false);
    expect(config.training.optimizer).toEqual({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(config.training.keepBestOn).toBe("val_accuracy");
  });

  it("is idempotent: parsing its own output gives the same config", () => {
    const config = parseRunConfig(minimal);
    expect(parseRunConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });

  it("fills optimizer defaults by name", () => {
    const config = parseRunConfig({ ...minimal, training: { optimizer: { name: "sgd" } } });
    expect(config.training.optimizer).toEqual({ name: "sgd", learningRate: 0.01, momentum: 0.9, nesterov: true });
  });

  it("names the field and the allowed values for a bad enum", () => {
    expect(() => parseRunConfig({ ...minimal, backend: "cuda" }, "x.json")).toThrow(
      'Invalid config in x.json:\n  backend: value not allowed; allowed: "auto", "wasm", "webgpu", "tensorflow", "cpu"',
    );
  });

  it("rejects an unknown field with its path", () => {
    expect(() => parseRunConfig({ ...minimal, training: { epoch: 3 } })).toThrow('training: unknown field "epoch"');
  });

  it("rejects an unknown model family", () => {
    expect(() => parseRunConfig({ name: "x", model: { family: "vgg" } })).toThrow(ConfigError);
    expect(() => parseRunConfig({ name: "x", model: { family: "vgg" } })).toThrow("model.family");
  });

  it("rejects an option that does not belong to the family", () => {
    expect(() => parseRunConfig({ name: "x", model: { family: "small_cnn", blocksPerStage: 2 } }))
      .toThrow('model: unknown field "blocksPerStage"');
  });

  it("rejects out-of-range numbers with the field name", () => {
    expect(() => parseRunConfig({ ...minimal, training: { batchSize: 0 } })).toThrow("training.batchSize");
    expect(() => parseRunConfig({ ...minimal, dataset: { channels: 2 } })).toThrow("dataset.channels");
  });

  it("requires a name", () => {
    expect(() => parseRunConfig({ model: { family: "small_cnn" } })).toThrow("name:");
  });
});
