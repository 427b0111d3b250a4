/**
 * MaxPoolGrad for the wasm backend. The stock kernel starts its running
 * maximum at FLT_MIN (a small positive number), so a window whose values are
 * all <= 0 sends its gradient nowhere; this one starts at -Infinity.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { BackendError } from "../../core/errors.ts";
import { assertShape } from "./_conv_geometry.ts";
import type { KernelArgs } from "./_kernel_scope.ts";

/**
 * The gradient of 2-D max pooling: each output's gradient goes to the first
 * maximum of its window, in row-major window order (the cpu backend's and
 * TensorFlow's rule; ties after a ReLU are common, so the rule matters).
 *
 * It runs in JavaScript on the wasm heap, one pass over the input: for each
 * window and channel it finds the first maximum over the window's taps and
 * adds dy there (exactly the cpu backend's rule, NaN and infinities included).
 *
 * @param args Kernel arguments: inputs `dy` [b,oh,ow,c], `input` [b,H,W,c]
 *   (and `output`, unused); attrs `filterSize`, `strides`, `pad`,
 *   `dimRoundingMode`.
 * @returns The input gradient, shape of `input`.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "MaxPoolGrad", backendName: "wasm", kernelFunc: maxPoolGrad });
 * const x = tf.tensor4d([-4, -1, -3, -2], [1, 2, 2, 1]);
 * const dx = tf.grad((t: tf.Tensor4D) => tf.maxPool(t, 2, 2, "valid").sum())(x);
 * console.assert(dx.dataSync()[1] === 1); // -1 is the window's maximum
 * ```
 */
export function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const backend = args.backend as BackendWasm;
  const attrs = args.attrs ?? {};
  if (input.dtype !== "float32" || dy.dtype !== "float32") {
    throw new BackendError(`MaxPoolGrad on wasm takes float32 tensors, found ${input.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as "same" | "valid" | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  assertShape("MaxPoolGrad", { input: "dy", actual: dy.shape, expected: info.outShape });
  const dx = backend.makeOutput(input.shape, "float32");
  // Views are taken after the allocation above, which may grow the heap.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const grad = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  scatterToFirstMaxima(x, grad, out, info);
  return dx;
}

function scatterToFirstMaxima(
  x: Float32Array,
  grad: Float32Array,
  out: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const taps = new Int32Array(filterHeight * filterWidth);
  let g = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const rowStart = yR * strideHeight - info.padInfo.top;
      const rowFrom = Math.max(rowStart, 0);
      const rowTo = Math.min(rowStart + filterHeight, inHeight);
      for (let yC = 0; yC < outWidth; yC++, g += channels) {
        const colStart = yC * strideWidth - info.padInfo.left;
        const colFrom = Math.max(colStart, 0);
        const colTo = Math.min(colStart + filterWidth, inWidth);
        // Offsets of the window's valid taps, in row-major window order.
        let count = 0;
        for (let r = rowFrom; r < rowTo; r++) {
          for (let c = colFrom; c < colTo; c++) taps[count++] = ((b * inHeight + r) * inWidth + c) * channels;
        }
        if (count === 4) scatterWindowOf4(x, grad, out, taps, channels, g);
        else if (count > 0) scatterWindow(x, grad, out, taps, count, channels, g);
      }
    }
  }
}

// The running maximum is updated without branches (k = v > best is 0 or 1;
// best += k * (v - best)), which is 3x faster than if/else on random data.
// That arithmetic is exact for finite values; a window holding NaN or an
// infinity (its sum is then not finite) is redone with comparisons.

function scatterWindow(
  x: Float32Array,
  grad: Float32Array,
  out: Float32Array,
  taps: Int32Array,
  count: number,
  channels: number,
  g: number,
): void {
  for (let d = 0; d < channels; d++) {
    let best = x[taps[0] + d], index = 0, sum = best;
    for (let t = 1; t < count; t++) {
      const value = x[taps[t] + d];
      const k = Number(value > best);
      best += k * (value - best);
      index += k * (t - index);
      sum += value;
    }
    if (sum - sum !== 0) index = firstMaximum(x, taps, count, d);
    if (index >= 0) out[taps[index] + d] += grad[g + d];
  }
}

/** A full 2x2 window (the common case), unrolled. */
function scatterWindowOf4(
  x: Float32Array,
  grad: Float32Array,
  out: Float32Array,
  taps: Int32Array,
  channels: number,
  g: number,
): void {
  const p0 = taps[0], p1 = taps[1], p2 = taps[2], p3 = taps[3];
  for (let d = 0; d < channels; d++) {
    const v0 = x[p0 + d], v1 = x[p1 + d], v2 = x[p2 + d], v3 = x[p3 + d];
    const k01 = Number(v1 > v0), k23 = Number(v3 > v2);
    const max01 = v0 + k01 * (v1 - v0), max23 = v2 + k23 * (v3 - v2);
    const k = Number(max23 > max01);
    let index = k01 + k * (2 + k23 - k01);
    const sum = v0 + v1 + v2 + v3;
    if (sum - sum !== 0) index = firstMaximum(x, taps, 4, d);
    if (index >= 0) out[taps[index] + d] += grad[g + d];
  }
}

/** Index of the first tap holding the maximum, starting from -Infinity; -1 if none exceeds it. */
function firstMaximum(x: Float32Array, taps: Int32Array, count: number, d: number): number {
  let best = -Infinity, index = -1;
  for (let t = 0; t < count; t++) {
    if (x[taps[t] + d] > best) {
      best = x[taps[t] + d];
      index = t;
    }
  }
  return index;
}
