/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend, which ships none.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { BackendError } from "../../core/errors.ts";
import { assertShape, conv2dInfo } from "./_conv_geometry.ts";
import type { KernelArgs } from "./_kernel_scope.ts";

/**
 * The gradient of a depthwise convolution with respect to its filter:
 * dW[kh,kw,c,m] = sum over b,oh,ow of x[b, oh*sh+kh*dh-top, ow*sw+kw*dw-left, c] * dy[b,oh,ow,c*M+m].
 *
 * Its work is small (kh*kw multiply-adds per element of dy), so it runs in
 * JavaScript on the wasm heap, one pass over dy per tap, with the sums kept
 * in float64. (Composed as a depthwise convolution with dy as an oh x ow
 * filter, XNNPACK took 40x the forward pass's time: it has no fast path for
 * such filters; this is 3-7x faster than that.)
 *
 * @param args Kernel arguments: inputs `x` [b,H,W,c] and `dy` [b,oh,ow,c*M];
 *   attrs `strides`, `dilations`, `pad`, `dimRoundingMode`, `filterShape`
 *   [kh,kw,c,M].
 * @returns The filter gradient, shape `filterShape`.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "DepthwiseConv2dNativeBackpropFilter", backendName: "wasm", kernelFunc: depthwiseBackpropFilter });
 * const x = tf.ones([2, 4, 4, 1]);
 * const dw = tf.grad((w: tf.Tensor4D) => tf.depthwiseConv2d(x, w, 1, "valid").sum())(tf.ones([3, 3, 1, 1]));
 * console.assert(dw.dataSync()[0] === 8); // 2 images x 2x2 outputs
 * ```
 */
export function depthwiseBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const backend = args.backend as BackendWasm;
  const attrs = args.attrs ?? {};
  if (x.dtype !== "float32" || dy.dtype !== "float32") {
    throw new BackendError(
      `DepthwiseConv2dNativeBackpropFilter on wasm takes float32 tensors, found ${x.dtype} and ${dy.dtype}`,
    );
  }
  const filterShape = attrs.filterShape as number[];
  const info = conv2dInfo(attrs, { x: x.shape, filter: filterShape, depthwise: true });
  assertShape("DepthwiseConv2dNativeBackpropFilter", { input: "dy", actual: dy.shape, expected: info.outShape });
  const grad = backend.makeOutput(filterShape, "float32");
  // Views are taken after the allocation above, which may grow the heap.
  const sums = accumulate(
    backend.typedArrayFromHeap(x) as Float32Array,
    backend.typedArrayFromHeap(dy) as Float32Array,
    info,
  );
  (backend.typedArrayFromHeap(grad) as Float32Array).set(sums);
  return grad;
}

function accumulate(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float64Array {
  const { filterHeight, filterWidth } = info;
  const perTap = info.outChannels; // channels * multiplier
  const sums = new Float64Array(filterHeight * filterWidth * perTap);
  // Tap by tap: each tap's sums stay in cache while the pass over dy streams.
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      sumTap(x, dy, info, { kh, kw, sums: sums.subarray((kh * filterWidth + kw) * perTap, (kh * filterWidth + kw + 1) * perTap) });
    }
  }
  return sums;
}

/** Adds x_shifted(kh,kw) * dy over all images and output pixels into `sums` [c*M]. */
function sumTap(
  x: Float32Array,
  dy: Float32Array,
  info: tf.backend_util.Conv2DInfo,
  tap: { kh: number; kw: number; sums: Float64Array },
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideWidth } = info;
  const multiplier = info.outChannels / channels;
  const sums = tap.sums;
  // Output columns whose input column ow*sw + kw*dw - left lies inside the image.
  const colOffset = tap.kw * info.dilationWidth - info.padInfo.left;
  const owFrom = Math.max(0, Math.ceil(-colOffset / strideWidth));
  const owTo = Math.min(outWidth, Math.floor((inWidth - 1 - colOffset) / strideWidth) + 1);
  const xStep = strideWidth * channels;
  const lanes = new Float64Array(sums.length); // a second accumulator: two independent chains run faster
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih = oh * info.strideHeight + tap.kh * info.dilationHeight - info.padInfo.top;
      if (ih < 0 || ih >= inHeight || owFrom >= owTo) continue;
      let xb = ((b * inHeight + ih) * inWidth + owFrom * strideWidth + colOffset) * channels;
      let gb = ((b * outHeight + oh) * outWidth + owFrom) * info.outChannels;
      if (multiplier === 1) {
        let ow = owFrom;
        for (; ow + 1 < owTo; ow += 2, xb += 2 * xStep, gb += 2 * channels) {
          for (let c = 0; c < channels; c++) {
            sums[c] += x[xb + c] * dy[gb + c];
            lanes[c] += x[xb + xStep + c] * dy[gb + channels + c];
          }
        }
        if (ow < owTo) for (let c = 0; c < channels; c++) sums[c] += x[xb + c] * dy[gb + c];
      } else {
        for (let ow = owFrom; ow < owTo; ow++, xb += xStep, gb += info.outChannels) {
          for (let c = 0; c < channels; c++) {
            const value = x[xb + c];
            for (let m = 0; m < multiplier; m++) sums[c * multiplier + m] += value * dy[gb + c * multiplier + m];
          }
        }
      }
    }
  }
  for (let i = 0; i < sums.length; i++) sums[i] += lanes[i];
}
