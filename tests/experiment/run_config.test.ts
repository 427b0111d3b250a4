import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../src/experiment/run_config.ts";
import { ConfigError } from "../../src/core/errors.ts";

const minimal = { name: "cnn", model: { family: "small_cnn" } };

describe("parseRunConfig", () => {
  it("fills in every default", () => {
    const config = parseRunConfig(minimal);
    expect(config.seed).toBe(42);
    expect(config.backend).toBe("auto");
    expect(config.precision).toBe("float32");
    expect(config.dataset.classes).toEqual(["happy", "sad", "surprise", "neutral"]);
    expect(config.dataset.augmentation.horizontalFlip).toBe(false);
    expect(config.training.optimizer).toEqual({ name: "adam", learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(config.training.keepBestOn).toBe("val_accuracy");
  });

  it("is idempotent: parsing its own output gives the same config", () => {
    const config = parseRunConfig(minimal);
    expect(parseRunConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });

  it("fills the one-cycle schedule's defaults and refuses its momentum for an optimizer without one", () => {
    const config = parseRunConfig({ ...minimal, training: { schedule: { name: "one_cycle" } } });
    expect(config.training.schedule).toEqual({
      name: "one_cycle", warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4, momentum: { low: 0.85, high: 0.95 },
    });
    expect(() => parseRunConfig({ ...minimal, training: { optimizer: { name: "sgd", momentum: 0 }, schedule: { name: "one_cycle" } } }, "x.json"))
      .toThrow("training.schedule.momentum: one_cycle moves the optimizer's momentum, and sgd with momentum 0 has none; set training.schedule.momentum to null");
    const plain = { optimizer: { name: "sgd", momentum: 0 }, schedule: { name: "one_cycle", momentum: null } };
    expect(parseRunConfig({ ...minimal, training: plain }).training.schedule).toMatchObject({ momentum: null });
    expect(() => parseRunConfig({ ...minimal, training: { schedule: { name: "one_cycle", momentum: { low: 0.95, high: 0.85 } } } }))
      .toThrow("momentum.low must not exceed momentum.high");
    expect(() => parseRunConfig({ ...minimal, training: { schedule: { name: "step" } } })).toThrow("allowed: constant, reduce_on_plateau, cosine, one_cycle");
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

  it("checks the model as its builder would, against dataset.size and the classes, so a refused option fails before a run starts", () => {
    // A crop that leaves the VGG-style net's four stages less than 16x16 of 48x48.
    expect(() => parseRunConfig({ name: "x", model: { family: "vgg_like", inputCrop: 17 } }, "x.json")).toThrow(
      "Invalid config in x.json:\n  model: model.inputCrop 17 for vgg_like is not a whole number of pixels in [0, 16]",
    );
    // The same net fits a 48x48 input with a 16-pixel crop, and not a 12x12 one at all.
    expect(parseRunConfig({ name: "x", model: { family: "vgg_like", inputCrop: 16 } }).model).toEqual({ family: "vgg_like", inputCrop: 16 });
    expect(() => parseRunConfig({ name: "x", model: { family: "vgg_like" }, dataset: { size: 12 } })).toThrow(
      "model: Input 12x12 is too small for vgg_like: its 4 downsampling stages need at least 16x16",
    );
    expect(() => parseRunConfig({ name: "x", model: { family: "resnet_like", filters: [8, 8, 8, 8, 8, 8, 8] } })).toThrow(
      "model: Input 48x48 is too small for resnet_like: its 6 downsampling stages need at least 64x64",
    );
    expect(() => parseRunConfig({ ...minimal, dataset: { classes: ["happy"] } })).toThrow("model: numClasses 1 for small_cnn");
  });

  it("requires a name", () => {
    expect(() => parseRunConfig({ model: { family: "small_cnn" } })).toThrow("name:");
  });
});

describe("parseRunConfig for transfer models", () => {
  const transfer = (model: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    parseRunConfig({ name: "t", model: { family: "transfer", backbone: "face_api_expression", ...model }, ...extra }, "t.json");

  it("fills in the transfer defaults: frozen, a linear head, and the fine-tuning knobs", () => {
    expect(transfer().model).toEqual({
      family: "transfer",
      backbone: "face_api_expression",
      mode: "frozen",
      head: { hiddenUnits: [], dropout: 0 },
      unfreezeLast: 4,
      learningRateScale: 0.1,
      headWarmupEpochs: 5,
    });
  });

  it("accepts a custom backbone by URL with its feature node and preprocessing, filling in the pooling", () => {
    const config = transfer({
      backbone: { url: "https://example.org/mobilenet/model.json", featureNode: "global_average_pooling2d", inputSize: 224, channels: 3, normalization: "imagenet" },
    });
    expect(config.model.family === "transfer" && config.model.backbone).toMatchObject({ pooling: "avg", normalization: "imagenet" });
  });

  it("rejects an unknown backbone name, listing the known ones", () => {
    expect(() => transfer({ backbone: "vgg_face" })).toThrow(ConfigError);
    expect(() => transfer({ backbone: "vgg_face" })).toThrow("model.backbone");
  });

  it("rejects a custom backbone without a feature node", () => {
    expect(() => transfer({ backbone: { url: "m/model.json", inputSize: 224, channels: 3, normalization: "imagenet" } })).toThrow("model.backbone");
  });

  it("rejects standardised inputs at dataset.preprocessing", () => {
    expect(() => transfer({}, { dataset: { preprocessing: "standardize" } })).toThrow(
      'dataset.preprocessing: Transfer models normalise inputs the backbone\'s way, from raw or [0, 1] pixels; use "scale_0_1" or "none"',
    );
  });

  it("rejects augmentation in frozen mode at dataset.augmentation", () => {
    expect(() => transfer({}, { dataset: { augmentation: { horizontalFlip: true } } })).toThrow("dataset.augmentation: Frozen mode computes features once");
  });

  it("rejects fine-tuning a graph backbone at model.mode", () => {
    expect(() => transfer({ backbone: "human_emotion", mode: "fine_tune" })).toThrow("model.mode: Backbone human_emotion is a frozen graph model");
  });

  it("rejects pretrained mode for a class the classifier does not know, at dataset.classes", () => {
    expect(() => transfer({ mode: "pretrained" }, { dataset: { classes: ["happy", "contempt"] } })).toThrow('dataset.classes: Class "contempt"');
  });

  it("is idempotent for a transfer config too", () => {
    const config = transfer({ mode: "fine_tune", head: { hiddenUnits: [64], dropout: 0.2 } });
    expect(parseRunConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
  });
});

describe("parseRunConfig's training.mix", () => {
  it("is off by default and fills each mix's defaults by name", () => {
    expect(parseRunConfig(minimal).training.mix).toBeNull();
    expect(parseRunConfig({ ...minimal, training: { mix: { name: "mixup" } } }).training.mix).toEqual({ name: "mixup", alpha: 0.2, probability: 1 });
    expect(parseRunConfig({ ...minimal, training: { mix: { name: "cutmix" } } }).training.mix).toEqual({ name: "cutmix", alpha: 1, probability: 0.5 });
  });

  it("names the field for an unknown mix, a bad alpha or a probability above 1", () => {
    expect(() => parseRunConfig({ ...minimal, training: { mix: { name: "mosaic" } } })).toThrow('training.mix.name: unknown "mosaic" as "name"; allowed: mixup, cutmix');
    expect(() => parseRunConfig({ ...minimal, training: { mix: { name: "mixup", alpha: 0 } } })).toThrow("training.mix.alpha");
    expect(() => parseRunConfig({ ...minimal, training: { mix: { name: "cutmix", probability: 2 } } })).toThrow("training.mix.probability");
  });

  it("refuses CutMix on a frozen transfer head, which trains on feature vectors", () => {
    const frozen = { name: "t", model: { family: "transfer", backbone: "face_api_expression" } };
    expect(() => parseRunConfig({ ...frozen, training: { mix: { name: "cutmix" } } })).toThrow("training.mix");
    expect(parseRunConfig({ ...frozen, training: { mix: { name: "mixup" } } }).training.mix?.name).toBe("mixup");
  });
});
