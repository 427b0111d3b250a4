/**
 * A layer that keeps some columns of a probability output and renormalises
 * them: a 7-emotion classifier restricted to the dataset's classes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** Added to the row sum so an all-zero selection gives zeros, not NaN. */
const TINY = 1e-12;

/** The layer class; use {@linkcode selectClasses} to make one. */
export class SelectClasses extends tf.layers.Layer {
  static className = "FerSelectClasses";
  readonly columns: number[];

  constructor(args: { columns: number[]; name?: string }) {
    super({ name: args.name, trainable: false });
    if (args.columns.length === 0 || args.columns.some((c) => !Number.isInteger(c) || c < 0)) {
      throw new ConfigError(`Selected columns [${args.columns}] are not whole numbers of at least 0; give one column per class`);
    }
    this.columns = [...args.columns];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.columns.length];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const kept = tf.gather(input, tf.tensor1d(this.columns, "int32"), 1);
      return kept.div(kept.sum(1, true).add(TINY));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), columns: this.columns };
  }
}
tf.serialization.registerClass(SelectClasses);

/**
 * Makes a {@linkcode SelectClasses} layer: output column `i` is input column
 * `columns[i]` divided by the sum of the selected columns.
 *
 * @param args The input column of each output class, and a layer name.
 * @returns The layer.
 * @example
 * ```ts
 * const y = selectClasses({ columns: [2, 0] }).apply(tf.tensor2d([[0.2, 0.5, 0.3]])) as tf.Tensor;
 * // [0.3, 0.2] / 0.5 = [0.6, 0.4]
 * ```
 */
export function selectClasses(args: { columns: number[]; name?: string }): SelectClasses {
  return new SelectClasses(args);
}
