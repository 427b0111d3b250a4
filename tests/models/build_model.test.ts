import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { buildModel, MODEL_FAMILIES, type ModelConfig, type ModelFamily } from "../../src/models/mod.ts";
import { trainingStep } from "../../src/train/training_step.ts";
import { ConfigError } from "../../src/core/errors.ts";

// Narrow variants keep every step on the cpu backend to milliseconds.
const TINY: Record<ModelFamily, ModelConfig> = {
  small_cnn: { family: "small_cnn", inputShape: [16, 16, 1], numClasses: 5, seed: 3, filters: [4, 8], denseUnits: 8 },
  capstone_cnn: {
    family: "capstone_cnn",
    inputShape: [32, 32, 1],
    numClasses: 5,
    seed: 3,
    filters: [4, 4, 8, 8, 8],
    denseUnits: 8,
    blockDropout: 0,
    headDropout: 0,
  },
  vgg_like: { family: "vgg_like", inputShape: [16, 16, 1], numClasses: 5, seed: 3, filters: [4, 8], denseUnits: 8, headDropout: 0 },
  resnet_like: { family: "resnet_like", inputShape: [16, 16, 1], numClasses: 5, seed: 3, filters: [4, 8], blocksPerStage: 1 },
  mobilenet_v2_like: {
    family: "mobilenet_v2_like",
    inputShape: [16, 16, 1],
    numClasses: 5,
    seed: 3,
    stemFilters: 4,
    stages: [{ expansion: 1, filters: 4, repeats: 1, stride: 1 }, { expansion: 2, filters: 8, repeats: 2, stride: 2 }],
    headFilters: 8,
  },
  xception_like: { family: "xception_like", inputShape: [16, 16, 1], numClasses: 5, seed: 3, stemFilters: 4, filters: [8, 8] },
};

const batch = (config: ModelConfig, n: number) => {
  const [h, w, c] = config.inputShape;
  const x = tf.randomUniform([n, h, w, c], 0, 1, "float32", 17);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % config.numClasses), "int32"), config.numClasses);
  return { x, y: y as tf.Tensor2D };
};

const weightsOf = (model: tf.LayersModel) => Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));

const classNames = (model: tf.LayersModel) => model.layers.map((l) => l.getClassName());

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe.each(MODEL_FAMILIES.map((family) => [family]))("buildModel for %s", (family) => {
  const config = TINY[family];

  it("outputs one probability row per image over numClasses", async () => {
    const model = buildModel(config);
    const { x } = batch(config, 3);
    const p = model.predict(x) as tf.Tensor;
    expect(p.shape).toEqual([3, 5]);
    for (const row of (await p.array()) as number[][]) {
      expect(row.every((v) => v >= 0)).toBe(true);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it("lowers the training loss on a tiny batch with one SGD step", async () => {
    const model = buildModel(config);
    const data = batch(config, 4);
    const optimizer = tf.train.sgd(0.05);
    const before = await trainingStep(model, data, { optimizer });
    const after = await trainingStep(model, data, { optimizer });
    expect(after).toBeLessThan(before);
  });

  it("gives identical initial weights for the same seed", async () => {
    expect(await weightsOf(buildModel(config))).toEqual(await weightsOf(buildModel(config)));
  });

  it("gives different initial weights for a different seed", async () => {
    const [a] = await weightsOf(buildModel(config));
    const [b] = await weightsOf(buildModel({ ...config, seed: 4 }));
    expect(a).not.toEqual(b);
  });
});

describe("buildModel with default widths on 48x48x1 and 4 classes", () => {
  const base = { inputShape: [48, 48, 1] as [number, number, number], numClasses: 4, seed: 0 };

  it("gives small_cnn 683,140 parameters", () => {
    // convs 320 + 18,496 + 73,856; dense 6*6*128*128 + 128 = 589,952; output 516
    expect(buildModel({ family: "small_cnn", ...base }).countParams()).toBe(683_140);
  });

  it("gives vgg_like about 5.9M parameters", () => {
    const count = buildModel({ family: "vgg_like", ...base }).countParams();
    expect(count).toBeGreaterThan(5_850_000);
    expect(count).toBeLessThan(5_950_000);
  });

  it("gives capstone_cnn five conv blocks with batch norm and dropout", () => {
    const names = classNames(buildModel({ family: "capstone_cnn", ...base }));
    expect(names.filter((n) => n === "Conv2D")).toHaveLength(5);
    expect(names.filter((n) => n === "BatchNormalization")).toHaveLength(6);
    expect(names.filter((n) => n === "SeededDropout")).toHaveLength(6);
  });

  it("gives resnet_like a 1x1 projection only where a stage changes size", () => {
    const model = buildModel({ family: "resnet_like", ...base });
    const projections = model.layers.filter((l) => l.getClassName() === "Conv2D" && (l.getConfig().kernelSize as number[])[0] === 1);
    expect(projections).toHaveLength(2);
    expect(classNames(model).filter((n) => n === "Add")).toHaveLength(6);
  });

  it("gives mobilenet_v2_like depthwise convs, ReLU6 and residuals only at stride 1", () => {
    const model = buildModel({ family: "mobilenet_v2_like", ...base });
    expect(classNames(model).filter((n) => n === "DepthwiseConv2D")).toHaveLength(7);
    expect(model.layers.some((l) => l.getConfig().activation === "relu6")).toBe(true);
    expect(classNames(model).filter((n) => n === "Add")).toHaveLength(4);
  });

  it("gives xception_like two separable convs and one residual per module", () => {
    const names = classNames(buildModel({ family: "xception_like", ...base }));
    expect(names.filter((n) => n === "SeparableConv2D")).toHaveLength(8);
    expect(names.filter((n) => n === "Add")).toHaveLength(4);
  });
});

describe.each(MODEL_FAMILIES.map((family) => [family]))("%s with inputCrop", (family) => {
  // The family's tiny net built for its own input size, and the same net on inputs 4 pixels larger cropped by 2.
  const plain = TINY[family];
  const [h, w, c] = plain.inputShape;
  const cropped: ModelConfig = { ...plain, inputShape: [h + 4, w + 4, c], inputCrop: 2 };

  it("runs the net of the cropped size on the centre of each image, from that net's initial weights", async () => {
    const plainModel = buildModel(plain);
    const croppedModel = buildModel(cropped);
    expect(croppedModel.inputs[0].shape).toEqual([null, h + 4, w + 4, c]);
    const cropLayer = croppedModel.layers.find((l) => l.getClassName() === "Cropping2D")!;
    expect(cropLayer.outputShape).toEqual([null, h, w, c]);
    expect(await weightsOf(croppedModel)).toEqual(await weightsOf(plainModel));
    const x = tf.randomUniform([2, h + 4, w + 4, c], 0, 1, "float32", 23) as tf.Tensor4D;
    const centre = tf.slice(x, [0, 2, 2, 0], [2, h, w, c]);
    const expected = await (plainModel.predict(centre) as tf.Tensor).array() as number[][];
    const got = await (croppedModel.predict(x) as tf.Tensor).array() as number[][];
    got.forEach((row, i) => row.forEach((p, k) => expect(p).toBeCloseTo(expected[i][k], 6)));
    // A border pixel changes nothing.
    const border = x.bufferSync();
    border.set(5, 0, 0, 0, 0);
    expect(await (croppedModel.predict(border.toTensor()) as tf.Tensor).array()).toEqual(got);
  });

  it("is learned from like the plain net: one SGD step lowers the loss", async () => {
    const model = buildModel(cropped);
    const data = batch(cropped, 4);
    const optimizer = tf.train.sgd(0.05);
    const before = await trainingStep(model, data, { optimizer });
    expect(await trainingStep(model, data, { optimizer })).toBeLessThan(before);
  });
});

describe("inputCrop's checks", () => {
  const cropped: ModelConfig = { ...TINY.vgg_like, inputShape: [16, 16, 1], inputCrop: 2 };

  it("rejects a crop that is not whole pixels, or leaves too little for the downsampling stages", () => {
    expect(() => buildModel({ ...cropped, inputCrop: 7 })).toThrow(ConfigError);
    expect(() => buildModel({ ...cropped, inputCrop: 7 })).toThrow(
      "model.inputCrop 7 for vgg_like is not a whole number of pixels in [0, 6]: a 16x16 input cropped by it must keep 4x4 for its 2 downsampling stages",
    );
    expect(() => buildModel({ ...cropped, inputCrop: 1.5 })).toThrow("model.inputCrop 1.5");
    expect(() => buildModel({ ...cropped, inputCrop: -1 })).toThrow("model.inputCrop -1");
    expect(buildModel({ ...cropped, inputCrop: 6 }).layers[0].outputShape).toEqual([null, 4, 4, 1]);
    expect(() => buildModel({ ...TINY.capstone_cnn, inputShape: [40, 40, 1], inputCrop: 5 })).toThrow(
      "model.inputCrop 5 for capstone_cnn is not a whole number of pixels in [0, 4]",
    );
  });

  it("leaves a net without it as it was: no crop layer", () => {
    expect(classNames(buildModel(TINY.vgg_like))).not.toContain("Cropping2D");
    expect(classNames(buildModel({ ...TINY.resnet_like, inputCrop: 0 }))).not.toContain("Cropping2D");
  });
});

describe("buildModel rejects bad configs", () => {
  it("names the known families for an unknown one", () => {
    const config = { family: "vgg", inputShape: [48, 48, 1], numClasses: 4, seed: 0 } as unknown as ModelConfig;
    expect(() => buildModel(config)).toThrow(ConfigError);
    expect(() => buildModel(config)).toThrow(
      'Unknown model family "vgg" at model.family; known: small_cnn, capstone_cnn, vgg_like, resnet_like, mobilenet_v2_like, xception_like',
    );
  });

  it("says how large the input must be for the downsampling stages", () => {
    expect(() => buildModel({ family: "capstone_cnn", inputShape: [24, 24, 1], numClasses: 4, seed: 0 }))
      .toThrow("Input 24x24 is too small for capstone_cnn: its 5 downsampling stages need at least 32x32");
  });

  it("rejects an input shape that is not three positive integers", () => {
    const config = { family: "small_cnn", inputShape: [48, 48], numClasses: 4, seed: 0 } as unknown as ModelConfig;
    expect(() => buildModel(config)).toThrow("Input shape [48,48] for small_cnn is not [height, width, channels]");
  });

  it("rejects fewer than two classes", () => {
    expect(() => buildModel({ family: "resnet_like", inputShape: [48, 48, 1], numClasses: 1, seed: 0 }))
      .toThrow("numClasses 1 for resnet_like is not an integer of at least 2");
  });

  it("rejects a seed outside the 32-bit range", () => {
    expect(() => buildModel({ family: "small_cnn", inputShape: [48, 48, 1], numClasses: 4, seed: -1 }))
      .toThrow("Model seed -1 is not an integer in [0, 4294967295]");
  });
});
