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

/**
 * Applies the {@linkcode SelectClasses} layer to probability rows already
 * computed: row `r` of the result holds `rows[r][columns[i]]` for each `i`,
 * divided by the sum of those values (a restricted arg-max: the classes left
 * out can no longer be predicted). Needs a started tfjs backend.
 *
 * @param rows One probability row per sample, all of the same width.
 * @param columns The column of each kept class, in the order wanted.
 * @returns One row of `columns.length` values per sample, in the order of `rows`.
 * @throws {ConfigError} When `columns` is empty, or a column is not below the rows' width.
 * @example
 * ```ts
 * const [row] = selectClassRows([[0.2, 0.5, 0.3]], [2, 0]);
 * console.assert(Math.abs(row[0] - 0.6) < 1e-6 && Math.abs(row[1] - 0.4) < 1e-6);
 * ```
 */
export function selectClassRows(rows: readonly ArrayLike<number>[], columns: number[]): Float32Array[] {
  const layer = selectClasses({ columns });
  if (rows.length === 0) return [];
  const width = rows[0].length;
  const outside = columns.find((column) => column >= width);
  if (outside !== undefined) {
    throw new ConfigError(`Selected column ${outside} is past the ${width} columns of the probabilities; give columns from 0 to ${width - 1}`);
  }
  const flat = new Float32Array(rows.length * width);
  rows.forEach((row, r) => flat.set(row, r * width));
  const selected = tf.tidy(() => layer.apply(tf.tensor2d(flat, [rows.length, width])) as tf.Tensor);
  try {
    const values = selected.dataSync();
    const kept = columns.length;
    return rows.map((_, r) => Float32Array.from(values.subarray(r * kept, (r + 1) * kept)));
  } finally {
    selected.dispose();
  }
}
