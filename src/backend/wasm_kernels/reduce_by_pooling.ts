/**
 * Sum and Mean for the wasm backend that reduce leading or middle axes with
 * XNNPACK's average pooling instead of a transpose.
 *
 * The stock kernels move the reduced axes innermost with a Transpose first;
 * for a channels-last activation reduced over [batch, height, width] (batch
 * norm statistics, bias gradients, the batch-norm gradient) that made the
 * reduction 13x slower than one average-pooling pass. (A product with a row
 * of ones is no better: wasm's matmul repacks its right operand, the whole
 * activation, on every call.)
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type KernelArgs, tagAsWrapper, withKernelScope, type WrappedKernelFunc } from "./_kernel_scope.ts";

/** Options of {@linkcode reduceByPooling}. */
export interface ReduceByPoolingOptions {
  /** Average (Mean) instead of summing (Sum). */
  mean: boolean;
}

/**
 * Wraps the stock wasm Sum or Mean. When the reduced axes of a float32 tensor
 * form one contiguous block that is not innermost and holds more than one
 * element, x is seen as an image [outer, reduced, 1, inner] and averaged with
 * one pooling window of [reduced, 1]; Sum then scales the (small) result by
 * the count. Other calls (innermost axes, scattered axes, other dtypes) go to
 * the stock kernel.
 *
 * @param stock The stock wasm Sum or Mean kernel function.
 * @param options `mean`: whether this is Mean.
 * @returns The wrapping kernel function, tagged as a wrapper of `stock`.
 * @example
 * ```ts
 * const stock = tf.getKernel("Sum", "wasm").kernelFunc;
 * tf.unregisterKernel("Sum", "wasm");
 * tf.registerKernel({ kernelName: "Sum", backendName: "wasm", kernelFunc: reduceByPooling(stock, { mean: false }) });
 * const s = tf.sum(tf.ones([2, 3, 4]), [0, 1]);
 * console.assert(s.shape[0] === 4 && s.dataSync()[0] === 6);
 * ```
 */
export function reduceByPooling(stock: tf.KernelFunc, options: ReduceByPoolingOptions): WrappedKernelFunc {
  const kernel = (args: KernelArgs) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs ?? {};
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((a, b) => a - b);
    const first = axes[0], last = axes[axes.length - 1];
    const reduced = tf.util.sizeFromShape(x.shape.slice(first, last + 1));
    const contiguous = axes.length > 0 && last - first + 1 === axes.length;
    if (x.dtype !== "float32" || !contiguous || last === x.shape.length - 1 || reduced < 2) return stock(args);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
    const inner = tf.util.sizeFromShape(x.shape.slice(last + 1));
    const outShape = attrs.keepDims
      ? x.shape.map((size, i) => (axes.includes(i) ? 1 : size))
      : x.shape.filter((_, i) => !axes.includes(i));
    return withKernelScope(args.backend, (scope) => {
      const image = scope.reshape(x, [outer, reduced, 1, inner]);
      const average = scope.run("AvgPool", { x: image }, {
        filterSize: [reduced, 1],
        strides: [1, 1],
        pad: "valid",
      });
      if (options.mean) return scope.keep(scope.reshape(average, outShape));
      const count = scope.run("Fill", {}, { shape: [], value: reduced, dtype: "float32" });
      const sum = scope.run("Multiply", { a: average, b: count });
      return scope.keep(scope.reshape(sum, outShape));
    });
  };
  return tagAsWrapper(kernel, stock);
}
