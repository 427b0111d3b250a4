import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { selectClasses } from "../../src/models/select_classes.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("selectClasses", () => {
  it("keeps the chosen columns in the given order and renormalises them to sum to one", () => {
    const y = selectClasses({ columns: [2, 0] }).apply(tf.tensor2d([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])) as tf.Tensor;
    const rows = y.arraySync() as number[][];
    expect(rows[0][0]).toBeCloseTo(0.6, 6);
    expect(rows[0][1]).toBeCloseTo(0.4, 6);
    expect(rows[1][0]).toBeCloseTo(0.8 / 0.9, 6);
  });

  it("gives zeros, not NaN, when every selected column is zero", () => {
    const y = selectClasses({ columns: [0, 1] }).apply(tf.tensor2d([[0, 0, 1]])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0]);
  });

  it("rejects an empty column list", () => {
    expect(() => selectClasses({ columns: [] })).toThrow(ConfigError);
  });
});
