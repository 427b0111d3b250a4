/**
 * Adapts a feature matrix to the training loop's BatchSource, so a head is
 * trained by the same `fit` as every other model.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { DatasetError } from "../core/errors.ts";
import type { BatchSource } from "../train/batch_source.ts";
import type { FeatureMatrix } from "./feature_cache.ts";

/**
 * Makes a batch source whose inputs are feature rows shaped `[n, 1, 1, features]`
 * (the loop's 4-D input contract; the head flattens them) and whose targets are one-hot labels.
 *
 * @param matrix One feature row per sample.
 * @param labels Class index per sample.
 * @param options `numClasses`: width of the one-hot targets.
 * @returns The source; it applies no augmentation.
 * @throws {DatasetError} When the rows and labels disagree in number or a label is not below `numClasses`.
 * @example
 * ```ts
 * const source = featureBatchSource({ values: Float32Array.of(1, 2, 3, 4), rows: 2, columns: 2 }, Uint8Array.of(0, 1), { numClasses: 2 });
 * const { x } = source.batch([1], { training: false, rng });
 * console.assert(x.shape.join() === "1,1,1,2");
 * ```
 */
export function featureBatchSource(matrix: FeatureMatrix, labels: ArrayLike<number>, options: { numClasses: number }): BatchSource {
  const { numClasses } = options;
  if (matrix.rows !== labels.length) {
    throw new DatasetError(`Feature matrix has ${matrix.rows} rows for ${labels.length} labels; compute features for the same images`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] >= 0 && labels[i] < numClasses)) {
      throw new DatasetError(`Label ${labels[i]} of sample ${i} is not below the class count ${numClasses}`);
    }
  }
  const { columns } = matrix;
  return {
    count: matrix.rows,
    labels,
    numClasses,
    batch(indices) {
      const x = new Float32Array(indices.length * columns);
      const y = new Float32Array(indices.length * numClasses);
      indices.forEach((index, position) => {
        if (!Number.isInteger(index) || index < 0 || index >= matrix.rows) {
          throw new DatasetError(`Sample index ${index} is outside the ${matrix.rows} feature rows`);
        }
        x.set(matrix.values.subarray(index * columns, (index + 1) * columns), position * columns);
        y[position * numClasses + labels[index]] = 1;
      });
      return { x: tf.tensor4d(x, [indices.length, 1, 1, columns]), y: tf.tensor2d(y, [indices.length, numClasses]) };
    },
  };
}
