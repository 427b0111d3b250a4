/**
 * BatchMatMul for the wasm backend that never hands XNNPACK a transpose flag.
 * The stock kernel runs scalar loops on one thread when transposeA or
 * transposeB is set (which every Dense layer's gradient does); a Transpose
 * followed by the plain product runs at GEMM speed.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { type KernelArgs, tagAsWrapper, withKernelScope, type WrappedKernelFunc } from "./_kernel_scope.ts";

/**
 * Wraps the stock wasm BatchMatMul: transposed operands are materialised with
 * the Transpose kernel (last two axes swapped), then the stock kernel runs
 * with both flags off. Untransposed calls go straight to the stock kernel.
 *
 * @param stock The stock wasm BatchMatMul kernel function.
 * @returns The wrapping kernel function, tagged as a wrapper of `stock`.
 * @example
 * ```ts
 * const stock = tf.getKernel("BatchMatMul", "wasm").kernelFunc;
 * tf.unregisterKernel("BatchMatMul", "wasm");
 * tf.registerKernel({ kernelName: "BatchMatMul", backendName: "wasm", kernelFunc: batchMatMulTransposed(stock) });
 * const c = tf.matMul(tf.ones([3, 2]), tf.ones([3, 4]), true, false);
 * console.assert(c.shape[0] === 2 && c.dataSync()[0] === 3);
 * ```
 */
export function batchMatMulTransposed(stock: tf.KernelFunc): WrappedKernelFunc {
  const kernel = (args: KernelArgs) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return stock(args);
    return withKernelScope(args.backend, (scope) => {
      const swap = (t: tf.TensorInfo) => {
        const perm = t.shape.map((_, i) => i);
        [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
        return scope.run("Transpose", { x: t }, { perm });
      };
      return stock({
        inputs: { a: attrs.transposeA ? swap(a) : a, b: attrs.transposeB ? swap(b) : b },
        backend: args.backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      });
    });
  };
  return tagAsWrapper(kernel, stock);
}
