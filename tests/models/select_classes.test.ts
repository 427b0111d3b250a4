import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../../src/core/errors.ts";
import { selectClasses, selectClassRows } from "../../src/models/select_classes.ts";

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

describe("selectClassRows", () => {
  it("keeps the chosen columns of each row in the given order and renormalises them, as the layer does", () => {
    // 7 columns in FER-2013's order; happy, sad, surprise, neutral are columns 3, 5, 6, 4 (sum 0.60).
    const rows = selectClassRows([[0.30, 0.05, 0.05, 0.10, 0.12, 0.20, 0.18], [0, 0, 0, 0.5, 0.25, 0.125, 0.125]], [3, 5, 6, 4]);
    expect(rows).toHaveLength(2);
    [1 / 6, 1 / 3, 0.3, 0.2].forEach((value, i) => expect(rows[0][i]).toBeCloseTo(value, 6));
    [0.5, 0.125, 0.125, 0.25].forEach((value, i) => expect(rows[1][i]).toBeCloseTo(value, 6));
  });

  it("gives no rows for no rows and rejects a column past the rows' width", () => {
    expect(selectClassRows([], [0, 1])).toEqual([]);
    expect(() => selectClassRows([[0.5, 0.5]], [0, 2])).toThrow("Selected column 2 is past the 2 columns of the probabilities");
  });
});
