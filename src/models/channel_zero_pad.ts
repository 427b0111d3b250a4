/**
 * A layer that appends zero channels, the shortcut of face-api's
 * down-sampling residual blocks (channels double, the new half is zero).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** The layer class; use {@linkcode channelZeroPad} to make one. */
export class ChannelZeroPad extends tf.layers.Layer {
  static className = "FerChannelZeroPad";
  readonly extra: number;

  constructor(args: { extra: number; name?: string }) {
    super({ name: args.name, trainable: false });
    if (!Number.isInteger(args.extra) || args.extra < 0) throw new ConfigError(`Extra channels ${args.extra} is not a whole number; use 0 or more`);
    this.extra = args.extra;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), (shape[shape.length - 1] as number) + this.extra];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const padding = input.shape.map((_, axis): [number, number] => [0, axis === input.rank - 1 ? this.extra : 0]);
    return tf.pad(input, padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), extra: this.extra };
  }
}
tf.serialization.registerClass(ChannelZeroPad);

/**
 * Makes a {@linkcode ChannelZeroPad} layer: `[..., c]` becomes `[..., c + extra]`, the new channels zero.
 *
 * @param args `extra`: channels to append; `name`: layer name.
 * @returns The layer.
 * @example
 * ```ts
 * const y = channelZeroPad({ extra: 2 }).apply(tf.ones([1, 1, 1, 2])) as tf.Tensor;
 * console.assert(y.dataSync().join() === "1,1,0,0");
 * ```
 */
export function channelZeroPad(args: { extra: number; name?: string }): ChannelZeroPad {
  return new ChannelZeroPad(args);
}
