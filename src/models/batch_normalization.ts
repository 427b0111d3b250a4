/**
 * tfjs-layers' BatchNormalization with a faster training step.
 *
 * In training mode (channels last, with scale and offset, float32: every
 * batch-norm layer the builders here make) it normalises with
 * {@linkcode batchNormTraining}, one fused op with a hand-written gradient,
 * instead of `tf.moments` and `tf.batchNorm` differentiated op by op; the
 * moving averages are updated with tfjs-layers' own arithmetic. Inference,
 * weights, config and the saved class name are tfjs-layers' own: a saved
 * model loads as a plain BatchNormalization layer anywhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { batchNormTraining } from "../backend/batch_norm_training.ts";

/** Constructor arguments, as tfjs-layers' `tf.layers.batchNormalization` takes them. */
export type BatchNormalizationArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The fields of tfjs-layers' class that the training path reads (private in its typings). */
interface KerasBatchNormalization extends tf.layers.Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

// The class itself is not exported by tfjs; its serialization entry holds it
// (making an instance to reach it would shift the automatic layer names).
const [KerasBatchNormalizationClass] = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization as unknown as [
  new (args?: BatchNormalizationArgs) => KerasBatchNormalization,
];

/** The layer class; use {@linkcode batchNormalization} to make one. */
export class FastBatchNormalization extends KerasBatchNormalizationClass {
  /** Saved as tfjs-layers' class: the layers are interchangeable. */
  static className = "BatchNormalization";

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const channelsLast = this.axis === -1 || this.axis === input.rank - 1;
    if (kwargs.training !== true || !channelsLast || !this.center || !this.scale || input.dtype !== "float32" || input.rank < 2 || input.rank > 4) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(
        input,
        this.gamma.read() as tf.Tensor1D,
        this.beta.read() as tf.Tensor1D,
        this.epsilon,
      );
      // tfjs-layers' update, step for step: v <- v - (v - batch) * (1 - momentum).
      for (const [variable, batch] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, batch), 1 - this.momentum)));
        });
      }
      return y;
    });
  }
}

/**
 * Makes a batch-normalisation layer: tfjs-layers' BatchNormalization, same
 * arguments and saved form, with a fused training step.
 *
 * @param args As for `tf.layers.batchNormalization`.
 * @returns The layer.
 * @example
 * ```ts
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), batchNormalization()] });
 * // model.toJSON() names the layer's class "BatchNormalization".
 * ```
 */
export function batchNormalization(args?: BatchNormalizationArgs): FastBatchNormalization {
  return new FastBatchNormalization(args);
}
