/**
 * Identity for the wasm backend that shares the input's buffer instead of
 * copying it, as the cpu and webgl backends do.
 *
 * tfjs clones (Identity) every tensor a gradient needs, before the forward
 * op runs; wasm's stock Identity copies the whole buffer, which cost about
 * 100 ms of a 3 s VGG+BN training step. Tensors are immutable and the wasm
 * backend counts references per buffer (Reshape already shares buffers), so
 * sharing is safe.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import type { KernelArgs } from "./_kernel_scope.ts";

/**
 * Returns a tensor info on the same buffer as `x`, with one more reference.
 *
 * @param args Kernel arguments: input `x`.
 * @returns `x`'s buffer, shape and dtype.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Identity", backendName: "wasm", kernelFunc: shareIdentity });
 * const a = tf.tensor1d([1, 2]);
 * const b = tf.clone(a);
 * a.dispose();
 * console.assert(b.dataSync()[1] === 2); // b keeps the shared buffer alive
 * ```
 */
export function shareIdentity(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
