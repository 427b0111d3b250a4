/**
 * Registers the kernels that let the wasm backend train CNNs correctly and
 * fast (see `wasm_kernels/`).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { BackendError } from "../core/errors.ts";
import { STOCK_KERNEL, type WrappedKernelFunc } from "./wasm_kernels/_kernel_scope.ts";
import { batchMatMulTransposed } from "./wasm_kernels/batch_matmul_transposed.ts";
import { castWithoutCopy } from "./wasm_kernels/cast_without_copy.ts";
import { conv2dBackpropFilter } from "./wasm_kernels/conv2d_backprop_filter.ts";
import { conv2dBackpropInput } from "./wasm_kernels/conv2d_backprop_input.ts";
import { depthwiseBackpropFilter } from "./wasm_kernels/depthwise_backprop_filter.ts";
import { depthwiseBackpropInput } from "./wasm_kernels/depthwise_backprop_input.ts";
import { fusedBatchNormGrad } from "./wasm_kernels/fused_batch_norm_grad.ts";
import { maxPoolGrad } from "./wasm_kernels/max_pool_grad.ts";
import { reduceByPooling } from "./wasm_kernels/reduce_by_pooling.ts";
import { shareIdentity } from "./wasm_kernels/share_identity.ts";

/** What {@linkcode registerWasmTrainingKernels} put in place. */
export interface RegisteredTrainingKernels {
  /** wasm kernels added or replaced, by kernel name. */
  kernels: string[];
  /** Kernels whose gradient (for every backend) was replaced. */
  gradients: string[];
}

/** Kernels added (the wasm backend has none) or replaced (its own is wrong or slow). */
const OWN_KERNELS: ReadonlyArray<[string, tf.KernelFunc]> = [
  ["Conv2DBackpropFilter", conv2dBackpropFilter as tf.KernelFunc],
  ["Conv2DBackpropInput", conv2dBackpropInput as tf.KernelFunc],
  ["DepthwiseConv2dNativeBackpropFilter", depthwiseBackpropFilter as tf.KernelFunc],
  ["DepthwiseConv2dNativeBackpropInput", depthwiseBackpropInput as tf.KernelFunc],
  ["MaxPoolGrad", maxPoolGrad as tf.KernelFunc],
  ["Identity", shareIdentity as tf.KernelFunc],
];

/** Stock kernels wrapped: the wrapper handles the slow cases and calls the stock kernel otherwise. */
const WRAPPERS: ReadonlyArray<[string, (stock: tf.KernelFunc) => WrappedKernelFunc]> = [
  ["BatchMatMul", batchMatMulTransposed],
  ["Sum", (stock) => reduceByPooling(stock, { mean: false })],
  ["Mean", (stock) => reduceByPooling(stock, { mean: true })],
  ["Cast", castWithoutCopy],
];

/**
 * Registers the wasm training kernels and the faster FusedBatchNorm gradient.
 * Idempotent: a second call changes nothing. It may run before or after the
 * wasm backend is initialised.
 *
 * - Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 *   DepthwiseConv2dNativeBackpropInput: missing on wasm; composed from
 *   XNNPACK convolutions.
 * - Conv2DBackpropInput: replaced; the stock one is scalar and single-threaded.
 * - MaxPoolGrad: replaced; the stock one drops the gradient of windows whose
 *   values are all <= 0.
 * - Identity: replaced; the stock one copies the buffer (tfjs clones every
 *   tensor a gradient keeps), this one shares it.
 * - BatchMatMul: wrapped so that transposed operands are transposed first.
 * - Sum and Mean: wrapped so that leading or middle axes are reduced by
 *   average pooling, not after a transpose.
 * - Cast: wrapped so that a cast to the same dtype shares the buffer.
 * - FusedBatchNorm gradient (global): broadcasts instead of tiling.
 *
 * @returns The kernel names registered and the gradients replaced.
 * @example
 * ```ts
 * const first = registerWasmTrainingKernels();
 * console.assert(first.kernels.includes("Conv2DBackpropFilter"));
 * console.assert(tf.getKernel("MaxPoolGrad", "wasm").kernelFunc === maxPoolGrad);
 * ```
 */
export function registerWasmTrainingKernels(): RegisteredTrainingKernels {
  for (const [kernelName, kernelFunc] of OWN_KERNELS) {
    const existing = tf.getKernel(kernelName, "wasm");
    if (existing?.kernelFunc === kernelFunc) continue;
    if (existing != null) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
  for (const [kernelName, wrap] of WRAPPERS) wrapStockKernel(kernelName, wrap);
  registerTrainingGradients();
  return {
    kernels: [...OWN_KERNELS, ...WRAPPERS].map(([name]) => name),
    gradients: [fusedBatchNormGrad.kernelName],
  };
}

/**
 * Registers the gradients this project replaces (FusedBatchNorm: broadcast
 * instead of tile, and correct for rank-4 parameters, which tfjs-core's is
 * not). tfjs keeps gradients globally, for every backend. Idempotent.
 *
 * @returns The kernel names whose gradient was replaced.
 * @example
 * ```ts
 * registerTrainingGradients();
 * console.assert(tf.getGradient("FusedBatchNorm") === fusedBatchNormGrad);
 * ```
 */
export function registerTrainingGradients(): string[] {
  if (tf.getGradient(fusedBatchNormGrad.kernelName) !== fusedBatchNormGrad) {
    tf.registerGradient(fusedBatchNormGrad);
  }
  return [fusedBatchNormGrad.kernelName];
}

function wrapStockKernel(kernelName: string, wrap: (stock: tf.KernelFunc) => WrappedKernelFunc): void {
  const stock = tf.getKernel(kernelName, "wasm");
  if (stock == null) {
    throw new BackendError(
      `Kernel ${kernelName} is not registered for the wasm backend; import @tensorflow/tfjs-backend-wasm first`,
    );
  }
  if (STOCK_KERNEL in stock.kernelFunc) return;
  tf.unregisterKernel(kernelName, "wasm");
  // Keep the stock setup function: it binds the C++ entry point when a wasm backend starts.
  tf.registerKernel({ ...stock, kernelFunc: wrap(stock.kernelFunc) });
}
