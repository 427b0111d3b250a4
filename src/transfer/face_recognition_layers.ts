/**
 * face-api's face recognition network (a ResNet-34-like net giving a 128-d
 * face descriptor, dlib's architecture) rebuilt from tfjs layers, so it can be
 * saved inside a run's model and fine-tuned like any LayersModel.
 *
 * The structure follows face-api's `FaceRecognitionNet.forwardInput`; each
 * conv's bias and per-channel scale are folded into the conv
 * (`(conv(x, W) + b) * s + c = conv(x, W * s) + (b * s + c)`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";
import { channelZeroPad } from "../models/channel_zero_pad.ts";

/** Input side the descriptor was trained at. */
export const FACE_RECOGNITION_INPUT_SIZE = 150;

const STAGES: [string, "down" | "same"][] = [
  ["conv32_1", "same"], ["conv32_2", "same"], ["conv32_3", "same"],
  ["conv64_down", "down"], ["conv64_1", "same"], ["conv64_2", "same"], ["conv64_3", "same"],
  ["conv128_down", "down"], ["conv128_1", "same"], ["conv128_2", "same"],
  ["conv256_down", "down"], ["conv256_1", "same"], ["conv256_2", "same"], ["conv256_down_out", "down"],
];

/**
 * Applies the face recognition net to `input` (`[n, 150, 150, 3]`, already
 * normalised as face-api does: `(rgb - mean) / 255`).
 *
 * @param input The adapted image tensor.
 * @param weights face-api's `face_recognition_model` weights by name; they are copied into the new layers.
 * @returns The 128-d descriptor, the 256-d pooled features before the final projection, and the
 *   layers that hold weights, input to output (for choosing which to fine-tune).
 * @throws {ConfigError} When a weight is missing.
 * @example
 * ```ts
 * const x = tf.input({ shape: [150, 150, 3] });
 * const { descriptor } = faceRecognitionLayers(x, weights);
 * console.assert(descriptor.shape[1] === 128);
 * ```
 */
export function faceRecognitionLayers(
  input: tf.SymbolicTensor,
  weights: tf.NamedTensorMap,
): { descriptor: tf.SymbolicTensor; pooled: tf.SymbolicTensor; layers: tf.layers.Layer[] } {
  const layers: tf.layers.Layer[] = [];
  const get = (name: string): tf.Tensor => {
    const tensor = weights[name];
    if (tensor === undefined) throw new ConfigError(`Face recognition weight "${name}" is missing; reinstall @vladmandic/face-api with: npm ci`);
    return tensor;
  };
  const conv = (x: tf.SymbolicTensor, name: string, options: { strides: number; padding: "same" | "valid"; relu: boolean }) => {
    const scale = get(`${name}/scale/weights`);
    const [kernel, bias] = tf.tidy(() => [
      get(`${name}/conv/filters`).mul(scale),
      get(`${name}/conv/bias`).mul(scale).add(get(`${name}/scale/biases`)),
    ]);
    const layer = tf.layers.conv2d({
      name: `face_rec_${name.replace("/", "_")}`,
      filters: kernel.shape[3]!,
      kernelSize: kernel.shape[0]!,
      strides: options.strides,
      padding: options.padding,
      activation: options.relu ? "relu" : "linear",
      weights: [kernel, bias],
    });
    const out = layer.apply(x) as tf.SymbolicTensor;
    tf.dispose([kernel, bias]);
    layers.push(layer);
    return out;
  };
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name: `face_rec_${name}_relu` }).apply(x) as tf.SymbolicTensor;

  let x = conv(input, "conv32_down", { strides: 2, padding: "valid", relu: true });
  x = tf.layers.maxPooling2d({ name: "face_rec_pool", poolSize: 3, strides: 2, padding: "valid" }).apply(x) as tf.SymbolicTensor;
  for (const [name, kind] of STAGES) {
    let out = conv(x, `${name}/conv1`, { strides: kind === "down" ? 2 : 1, padding: kind === "down" ? "valid" : "same", relu: true });
    out = conv(out, `${name}/conv2`, { strides: 1, padding: "same", relu: false });
    let shortcut = x;
    if (kind === "down") {
      shortcut = tf.layers.averagePooling2d({ name: `face_rec_${name}_pool`, poolSize: 2, strides: 2, padding: "valid" })
        .apply(x) as tf.SymbolicTensor;
      // face-api pads the conv path with a zero row and column when the pooled path is larger.
      const grow = (shortcut.shape[1] as number) - (out.shape[1] as number);
      if (grow > 0) out = tf.layers.zeroPadding2d({ name: `face_rec_${name}_grow`, padding: [[0, grow], [0, grow]] }).apply(out) as tf.SymbolicTensor;
      const extra = (out.shape[3] as number) - (shortcut.shape[3] as number);
      if (extra > 0) shortcut = channelZeroPad({ name: `face_rec_${name}_widen`, extra }).apply(shortcut) as tf.SymbolicTensor;
    }
    x = relu(tf.layers.add({ name: `face_rec_${name}_add` }).apply([out, shortcut]) as tf.SymbolicTensor, name);
  }
  const pooled = tf.layers.globalAveragePooling2d({ name: "face_rec_global_pool" }).apply(x) as tf.SymbolicTensor;
  const projection = tf.layers.dense({ name: "face_rec_fc", units: 128, useBias: false, weights: [get("fc")] });
  const descriptor = projection.apply(pooled) as tf.SymbolicTensor;
  layers.push(projection);
  return { descriptor, pooled, layers };
}
