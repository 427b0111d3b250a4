import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { DatasetError } from "../../src/core/errors.ts";
import { makeRng } from "../../src/core/seed.ts";
import { featureBatchSource } from "../../src/transfer/feature_batch_source.ts";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const matrix = { values: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 3, columns: 2 };
const rng = makeRng(0);

describe("featureBatchSource", () => {
  it("serves the chosen rows as [n, 1, 1, features] with one-hot labels, in the order asked", () => {
    const source = featureBatchSource(matrix, Uint8Array.of(0, 2, 1), { numClasses: 3 });
    const { x, y } = source.batch([2, 0], { training: true, rng });
    expect(x.shape).toEqual([2, 1, 1, 2]);
    expect(Array.from(x.dataSync())).toEqual([5, 6, 1, 2]);
    expect(y.arraySync()).toEqual([[0, 1, 0], [1, 0, 0]]);
    expect(source.count).toBe(3);
  });

  it("refuses rows and labels of different lengths", () => {
    expect(() => featureBatchSource(matrix, Uint8Array.of(0, 1), { numClasses: 2 })).toThrow(DatasetError);
  });

  it("refuses a label that is not below the class count", () => {
    expect(() => featureBatchSource(matrix, Uint8Array.of(0, 1, 4), { numClasses: 3 })).toThrow("Label 4 of sample 2 is not below the class count 3");
  });

  it("refuses an index outside the rows", () => {
    const source = featureBatchSource(matrix, Uint8Array.of(0, 1, 1), { numClasses: 2 });
    expect(() => source.batch([3], { training: false, rng })).toThrow("Sample index 3 is outside the 3 feature rows");
  });
});
