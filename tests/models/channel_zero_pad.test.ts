import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { channelZeroPad } from "../../src/models/channel_zero_pad.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("channelZeroPad", () => {
  it("appends zero channels after the existing ones at every pixel", () => {
    const y = channelZeroPad({ extra: 2 }).apply(tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2])) as tf.Tensor;
    expect(y.shape).toEqual([1, 1, 2, 4]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 0, 0, 3, 4, 0, 0]);
  });

  it("reports the widened shape for symbolic inputs", () => {
    const out = channelZeroPad({ extra: 3 }).apply(tf.input({ shape: [4, 4, 5] })) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, 4, 4, 8]);
  });

  it("rejects a negative count", () => {
    expect(() => channelZeroPad({ extra: -1 })).toThrow(ConfigError);
  });
});
