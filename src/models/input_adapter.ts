/**
 * The first layer of every transfer model: from the dataset's small gray
 * images to the input a pretrained backbone expects.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** Arguments of {@linkcode inputAdapter}. */
export interface InputAdapterArgs {
  /** Side of the square output, the backbone's input size in pixels. */
  size: number;
  /** Output channels: gray input is replicated to 3; 3-channel input becomes 1 by averaging. */
  channels: 1 | 3;
  /** Multiplies the input first so that pixels span 0..255: 255 for inputs in [0, 1], 1 for raw pixels. */
  inputScale: number;
  /** Subtracted per output channel after scaling, in 0..255 units. */
  mean: number[];
  /** Divides per output channel after the mean is subtracted. */
  std: number[];
  /** Layer name. @default auto */
  name?: string;
}

/** The layer class; use {@linkcode inputAdapter} to make one. */
export class InputAdapter extends tf.layers.Layer {
  static className = "FerInputAdapter";
  readonly size: number;
  readonly channels: 1 | 3;
  readonly inputScale: number;
  readonly mean: number[];
  readonly std: number[];

  constructor(args: InputAdapterArgs) {
    super({ name: args.name, trainable: false });
    if (!Number.isInteger(args.size) || args.size < 1) throw new ConfigError(`Adapter size ${args.size} is not a positive whole number of pixels; use the backbone input size, e.g. 112`);
    if (args.channels !== 1 && args.channels !== 3) throw new ConfigError(`Adapter channels ${args.channels} is not 1 or 3; use 1 (gray) or 3 (RGB)`);
    if (args.mean.length !== args.channels || args.std.length !== args.channels) {
      throw new ConfigError(`Adapter needs ${args.channels} mean and std values; got ${args.mean.length} and ${args.std.length}; give one per channel`);
    }
    this.size = args.size;
    this.channels = args.channels;
    this.inputScale = args.inputScale;
    this.mean = [...args.mean];
    this.std = [...args.std];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.size, this.size, this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      let x = input.mul(this.inputScale) as tf.Tensor4D;
      if (x.shape[1] !== this.size || x.shape[2] !== this.size) {
        // Half-pixel centres: the output grid covers the input exactly, as TF2's tf.image.resize.
        x = tf.image.resizeBilinear(x, [this.size, this.size], false, true);
      }
      const inChannels = x.shape[3];
      if (inChannels === 1 && this.channels === 3) x = tf.tile(x, [1, 1, 1, 3]);
      else if (inChannels === 3 && this.channels === 1) x = x.mean(3, true);
      else if (inChannels !== this.channels) {
        throw new ConfigError(`Adapter input has ${inChannels} channels; it takes 1 (gray) or 3 (RGB) channels`);
      }
      return x.sub(tf.tensor1d(this.mean)).div(tf.tensor1d(this.std));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    // Numbers only: tfjs re-cases string values when it saves and loads layer configs.
    return { ...super.getConfig(), size: this.size, channels: this.channels, inputScale: this.inputScale, mean: this.mean, std: this.std };
  }
}
tf.serialization.registerClass(InputAdapter);

/**
 * Makes the adapter layer: scale to 0..255, resize (bilinear, half-pixel
 * centres) to `size`, match the channels, then `(x - mean[c]) / std[c]`.
 * It has no weights and never trains.
 *
 * @param args See {@linkcode InputAdapterArgs}.
 * @returns The layer.
 * @example
 * ```ts
 * const layer = inputAdapter({ size: 4, channels: 3, inputScale: 1, mean: [0, 0, 0], std: [1, 1, 1] });
 * const y = layer.apply(tf.tensor4d([0, 4, 8, 12], [1, 2, 2, 1])) as tf.Tensor;
 * console.assert(y.shape.join() === "1,4,4,3");
 * ```
 */
export function inputAdapter(args: InputAdapterArgs): InputAdapter {
  return new InputAdapter(args);
}
