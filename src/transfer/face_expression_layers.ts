/**
 * face-api's face expression network (four densely connected blocks of
 * depthwise-separable convs, then a 7-way classifier) rebuilt from tfjs
 * layers, following face-api's `FaceFeatureExtractor` and `FaceExpressionNet`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../core/errors.ts";

/** Input side of the network. */
export const FACE_EXPRESSION_INPUT_SIZE = 112;

/** The classifier's outputs, in order (face-api's `FACE_EXPRESSION_LABELS`). */
export const FACE_EXPRESSION_LABELS = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"] as const;

/**
 * Applies the face expression network to `input` (`[n, 112, 112, 3]`,
 * normalised as face-api does: `(rgb - mean) / 255`).
 *
 * @param input The adapted image tensor.
 * @param weights face-api's `face_expression_model` weights by name; they are copied into the new layers.
 * @param options `classifier`: also build the 7-way classifier on the features. @default false
 * @returns The 256-d features (the 7x7 average pool of the last block), the 7 class probabilities
 *   (null without `classifier`), and the feature layers that hold weights, input to output.
 * @throws {ConfigError} When a weight is missing.
 * @example
 * ```ts
 * const x = tf.input({ shape: [112, 112, 3] });
 * const { features, probabilities } = faceExpressionLayers(x, weights, { classifier: true });
 * console.assert(features.shape[1] === 256 && probabilities?.shape[1] === 7);
 * ```
 */
export function faceExpressionLayers(
  input: tf.SymbolicTensor,
  weights: tf.NamedTensorMap,
  options: { classifier?: boolean } = {},
): { features: tf.SymbolicTensor; probabilities: tf.SymbolicTensor | null; layers: tf.layers.Layer[] } {
  const layers: tf.layers.Layer[] = [];
  const get = (name: string): tf.Tensor => {
    const tensor = weights[name];
    if (tensor === undefined) throw new ConfigError(`Face expression weight "${name}" is missing; reinstall @vladmandic/face-api with: npm ci`);
    return tensor;
  };
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => {
    layers.push(layer);
    return layer.apply(x) as tf.SymbolicTensor;
  };
  const separable = (x: tf.SymbolicTensor, name: string, strides: number) => {
    const pointwise = get(`${name}/pointwise_filter`);
    return apply(
      tf.layers.separableConv2d({
        name: `face_expr_${name.replace("/", "_")}`,
        filters: pointwise.shape[3]!,
        kernelSize: 3,
        strides,
        padding: "same",
        weights: [get(`${name}/depthwise_filter`), pointwise, get(`${name}/bias`)],
      }),
      x,
    );
  };
  const sumRelu = (parts: tf.SymbolicTensor[], name: string) => {
    const sum = tf.layers.add({ name: `${name}_add` }).apply(parts) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: `${name}_relu` }).apply(sum) as tf.SymbolicTensor;
  };

  let x = input;
  for (const block of ["dense0", "dense1", "dense2", "dense3"]) {
    const first = block === "dense0"
      ? apply(
        tf.layers.conv2d({
          name: "face_expr_dense0_conv0",
          filters: 32,
          kernelSize: 3,
          strides: 2,
          padding: "same",
          weights: [get("dense0/conv0/filters"), get("dense0/conv0/bias")],
        }),
        x,
      )
      : separable(x, `${block}/conv0`, 2);
    const out1 = tf.layers.reLU({ name: `face_expr_${block}_out1_relu` }).apply(first) as tf.SymbolicTensor;
    const out2 = separable(out1, `${block}/conv1`, 1);
    const out3 = separable(sumRelu([out1, out2], `face_expr_${block}_in3`), `${block}/conv2`, 1);
    const out4 = separable(sumRelu([out1, out2, out3], `face_expr_${block}_in4`), `${block}/conv3`, 1);
    x = sumRelu([out1, out2, out3, out4], `face_expr_${block}_out`);
  }
  const pooled = tf.layers.averagePooling2d({ name: "face_expr_pool", poolSize: 7, strides: 2, padding: "valid" }).apply(x) as tf.SymbolicTensor;
  const features = tf.layers.flatten({ name: "face_expr_features" }).apply(pooled) as tf.SymbolicTensor;
  if (!options.classifier) return { features, probabilities: null, layers };
  const classifier = tf.layers.dense({ name: "face_expr_fc", units: 7, activation: "softmax", weights: [get("fc/weights"), get("fc/bias")] });
  return { features, probabilities: classifier.apply(features) as tf.SymbolicTensor, layers };
}
