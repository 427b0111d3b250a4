/**
 * Kernels tfjs-node lacks that the workbench needs on the `tensorflow`
 * backend, each one a call of the TensorFlow op that does the same thing.
 *
 * Transform (tf.image.transform, used by augmentation for rotation, shift and
 * zoom) is TensorFlow's ImageProjectiveTransformV3: tfjs ported its kernel
 * from that op, with the same 8-number matrices and interpolation. Fill modes
 * "constant" and "nearest" agree with tfjs; "reflect" and "wrap" map
 * out-of-image coordinates differently in TensorFlow 2.18, so they are refused
 * rather than silently giving other pixels than on the other backends.
 * Nearest interpolation picks another neighbour than tfjs for some pixels
 * (bilinear, the augmentation default, matches to 1e-7).
 *
 * ReLU's gradient: tfjs-core builds it from Step, Cast and Multiply (with
 * tfjs-node's Step itself made of IsNan and Select), about a tenth of a VGG
 * training step; TensorFlow's ReluGrad does it in one op. The gradient is
 * registered for every backend (gradients are global in tfjs) but takes the
 * native op only on `tensorflow`; elsewhere it is tfjs-core's formula.
 *
 * Batch normalisation in training: FusedBatchNormV3 and its gradient op, for
 * {@linkcode batchNormTraining} (see _tensorflow_batch_norm_kernels.ts).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../core/errors.ts";
import type { NodeBackend } from "./_node_backend.ts";
import { tensorflowBatchNormTraining, tensorflowBatchNormTrainingGrad } from "./_tensorflow_batch_norm_kernels.ts";


const NATIVE_RELU_GRAD = "FerNativeReluGrad";

const reluGrad: tf.GradConfig = {
  kernelName: "Relu",
  inputsToSave: ["x"],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const grad = dy as tf.Tensor;
    return {
      x: () =>
        tf.getBackend() === "tensorflow" && x.dtype === "float32" && grad.dtype === "float32"
          ? tf.engine().runKernel(NATIVE_RELU_GRAD, { dy: grad, x }) as tf.Tensor
          : tf.mul(grad, tf.cast(tf.step(x), "float32")),
    };
  },
};

/**
 * Registers the missing kernels for the `tensorflow` backend; a kernel that
 * is already registered is left as it is, so calling this twice is harmless.
 *
 * @example
 * ```ts
 * await import("@tensorflow/tfjs-node");
 * registerTensorflowKernels();
 * ```
 */
export function registerTensorflowKernels(): void {
  if (tf.getGradient("Relu") !== reluGrad) tf.registerGradient(reluGrad);
  if (!tf.getKernel(NATIVE_RELU_GRAD, "tensorflow")) {
    tf.registerKernel({
      kernelName: NATIVE_RELU_GRAD,
      backendName: "tensorflow",
      kernelFunc: ({ inputs, backend }) => {
        const { dy, x } = inputs as { dy: tf.Tensor; x: tf.Tensor };
        const node = backend as unknown as NodeBackend;
        // ReluGrad(gradients, features) = gradients where features > 0, else 0.
        return node.executeSingleOutput("ReluGrad", [{ name: "T", type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT }], [dy, x]);
      },
    });
  }
  for (const config of [tensorflowBatchNormTraining, tensorflowBatchNormTrainingGrad]) {
    if (!tf.getKernel(config.kernelName, "tensorflow")) tf.registerKernel(config);
  }
  if (tf.getKernel("Transform", "tensorflow")) return;
  tf.registerKernel({
    kernelName: "Transform",
    backendName: "tensorflow",
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { image, transforms } = inputs as { image: tf.Tensor4D; transforms: tf.Tensor2D };
      const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as tf.TransformAttrs;
      if (fillMode !== "constant" && fillMode !== "nearest") {
        throw new BackendError(
          `tf.image.transform with fillMode "${fillMode}" is not supported on the tensorflow backend ` +
            `(TensorFlow maps out-of-image pixels differently from tfjs); use "constant" or "nearest", or another backend`,
        );
      }
      const node = backend as unknown as NodeBackend;
      const [height, width] = outputShape ?? [image.shape[1], image.shape[2]];
      const opAttrs = [
        { name: "dtype", type: node.binding.TF_ATTR_TYPE, value: node.binding.TF_FLOAT },
        { name: "interpolation", type: node.binding.TF_ATTR_STRING, value: interpolation.toUpperCase() },
        { name: "fill_mode", type: node.binding.TF_ATTR_STRING, value: fillMode.toUpperCase() },
      ];
      const size = tf.tensor1d([height, width], "int32");
      const fill = tf.scalar(fillValue, "float32");
      const image32 = image.dtype === "float32" ? image : tf.cast(image, "float32");
      const output = node.executeSingleOutput("ImageProjectiveTransformV3", opAttrs, [image32, transforms, size, fill]);
      tf.dispose([size, fill, ...(image32 === image ? [] : [image32])]);
      return output;
    },
  });
}
