/**
 * Cast for the wasm backend that shares the buffer when the dtype does not
 * change, and casts to bool correctly. tf.moments (batch norm) casts every
 * activation to float32, which is already float32; the stock kernel copied
 * it each time. The stock cast to bool truncates to a byte (-2.7 becomes
 * 254) instead of testing x != 0.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { type KernelArgs, tagAsWrapper, withKernelScope, type WrappedKernelFunc } from "./_kernel_scope.ts";
import { shareIdentity } from "./share_identity.ts";

/**
 * Wraps the stock wasm Cast: a cast to the input's own dtype shares its
 * buffer (see {@linkcode shareIdentity}); a cast to bool is x != 0 (the
 * NotEqual kernel); any other cast runs the stock kernel.
 *
 * @param stock The stock wasm Cast kernel function.
 * @returns The wrapping kernel function, tagged as a wrapper of `stock`.
 * @example
 * ```ts
 * const stock = tf.getKernel("Cast", "wasm").kernelFunc;
 * tf.unregisterKernel("Cast", "wasm");
 * tf.registerKernel({ kernelName: "Cast", backendName: "wasm", kernelFunc: castWithoutCopy(stock) });
 * console.assert(tf.cast(tf.tensor1d([-2.7]), "bool").dataSync()[0] === 1);
 * ```
 */
export function castWithoutCopy(stock: tf.KernelFunc): WrappedKernelFunc {
  const kernel = (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const dtype = args.attrs?.dtype;
    if (x.dtype === dtype) return shareIdentity(args);
    if (dtype !== "bool") return stock(args);
    return withKernelScope(args.backend, (scope) => {
      const zero = scope.run("Fill", {}, { shape: [], value: 0, dtype: x.dtype });
      return scope.keep(scope.run("NotEqual", { a: x, b: zero }));
    });
  };
  return tagAsWrapper(kernel, stock);
}
