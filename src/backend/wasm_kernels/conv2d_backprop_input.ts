/**
 * Conv2DBackpropInput for the wasm backend. The stock kernel runs scalar
 * loops on one thread; this one is made of convolutions that XNNPACK runs
 * with SIMD on every thread.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { assertShape, conv2dInfo, cropForPadding, flipSpatially } from "./_conv_geometry.ts";
import { assertChannelsLast, type KernelArgs, type KernelScope, withKernelScope } from "./_kernel_scope.ts";

/**
 * The gradient of a 2-D convolution with respect to its input.
 *
 * With stride 1, dx is the convolution of dy, padded by kh-1-top above,
 * with the filter flipped in both spatial axes and its channel axes swapped
 * ([kh,kw,co,ci]). With stride s > 1, the textbook form (spread dy with s-1
 * zeros between rows and columns, then convolve) wastes 1 - 1/s^2 of its
 * work on zeros (4x slower at s = 2); instead the rows (and columns) of dx
 * are split by their index modulo s: each of the s^2 phases is a stride-1
 * convolution of dy with the filter taps of that phase, and the phases are
 * interleaved into dx.
 *
 * @param args Kernel arguments: inputs `dy` [b,oh,ow,co] and `filter`
 *   [kh,kw,ci,co]; attrs `strides`, `pad`, `dataFormat` (NHWC only),
 *   `dimRoundingMode`, `inputShape` [b,H,W,ci].
 * @returns The input gradient, shape `inputShape`.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Conv2DBackpropInput", backendName: "wasm", kernelFunc: conv2dBackpropInput });
 * const w = tf.ones([3, 3, 1, 1]);
 * const dx = tf.grad((x: tf.Tensor4D) => tf.conv2d(x, w, 1, "valid").sum())(tf.ones([1, 3, 3, 1]));
 * console.assert(dx.dataSync()[4] === 1); // the centre meets the one output once
 * ```
 */
export function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  assertChannelsLast("Conv2DBackpropInput", attrs.dataFormat);
  const info = conv2dInfo({ ...attrs, dilations: 1 }, { x: attrs.inputShape as number[], filter: filter.shape });
  assertShape("Conv2DBackpropInput", { input: "dy", actual: dy.shape, expected: info.outShape });
  return withKernelScope(args.backend, (scope) => {
    if (info.strideHeight > 1 || info.strideWidth > 1) return scope.keep(byPhases(scope, dy, filter, info));
    const top = info.filterHeight - 1 - info.padInfo.top;
    const left = info.filterWidth - 1 - info.padInfo.left;
    const cropped = cropForPadding(scope, dy, {
      top,
      left,
      bottom: info.inHeight + info.filterHeight - 1 - top - info.outHeight,
      right: info.inWidth + info.filterWidth - 1 - left - info.outWidth,
    });
    const swapped = scope.run("Transpose", { x: filter }, { perm: [0, 1, 3, 2] });
    const flipped = flipSpatially(scope, swapped);
    return scope.keep(scope.run("Conv2D", { x: cropped.x, filter: flipped }, {
      strides: [1, 1],
      pad: cropped.pad,
      dataFormat: "NHWC",
      dilations: [1, 1],
    }));
  });
}

/**
 * One axis of one phase: dx rows s*q + phase (q < count) take filter taps
 * first, first + s, ... (taps of them), from dy rows shifted by `top`.
 */
interface PhaseAxis {
  count: number;
  first: number;
  taps: number;
  top: number;
  bottom: number;
}

function phaseAxis(phase: number, stride: number, size: number, outSize: number, filterSize: number, padBefore: number): PhaseAxis {
  const count = Math.ceil((size - phase) / stride);
  const first = (((phase + padBefore) % stride) + stride) % stride;
  const taps = first < filterSize ? Math.ceil((filterSize - first) / stride) : 0;
  // dx[s*q + phase] = sum_j dy[q + shift - j] * w[first + s*j]: a correlation with the taps reversed.
  const shift = (phase + padBefore - first) / stride;
  const top = taps - 1 - shift;
  return { count, first, taps, top, bottom: count + taps - 1 - top - outSize };
}

function byPhases(scope: KernelScope, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, strideHeight: sh, strideWidth: sw } = info;
  const dx = scope.allocate([batchSize, inHeight, inWidth, inChannels]);
  const rowPhases = Array.from({ length: sh }, (_, p) => phaseAxis(p, sh, inHeight, info.outHeight, info.filterHeight, info.padInfo.top));
  const colPhases = Array.from({ length: sw }, (_, p) => phaseAxis(p, sw, inWidth, info.outWidth, info.filterWidth, info.padInfo.left));
  // Positions that no filter tap reaches (a kernel smaller than the stride) stay zero.
  if ([...rowPhases, ...colPhases].some((axis) => axis.taps === 0)) (scope.backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  for (let ph = 0; ph < sh; ph++) {
    for (let pw = 0; pw < sw; pw++) {
      const rows = rowPhases[ph], cols = colPhases[pw];
      if (rows.count <= 0 || cols.count <= 0 || rows.taps === 0 || cols.taps === 0) continue;
      const cropped = cropForPadding(scope, dy, { top: rows.top, bottom: rows.bottom, left: cols.top, right: cols.bottom });
      const taps = phaseFilter(scope, filter, rows, cols, sh, sw);
      const part = scope.run("Conv2D", { x: cropped.x, filter: taps }, {
        strides: [1, 1],
        pad: cropped.pad,
        dataFormat: "NHWC",
        dilations: [1, 1],
      });
      // Views after the allocations above, which may grow the heap.
      const from = scope.backend.typedArrayFromHeap(part) as Float32Array;
      const to = scope.backend.typedArrayFromHeap(dx) as Float32Array;
      let src = 0;
      for (let b = 0; b < batchSize; b++) {
        for (let q = 0; q < rows.count; q++) {
          for (let r = 0; r < cols.count; r++, src += inChannels) {
            const dst = ((b * inHeight + q * sh + ph) * inWidth + r * sw + pw) * inChannels;
            for (let c = 0; c < inChannels; c++) to[dst + c] = from[src + c];
          }
        }
      }
    }
  }
  return dx;
}

/** The filter taps of one phase, reversed and with channels swapped: [taps, tapsW, co, ci]. */
function phaseFilter(scope: KernelScope, filter: tf.TensorInfo, rows: PhaseAxis, cols: PhaseAxis, sh: number, sw: number): tf.TensorInfo {
  const [, filterWidth, inChannels, outChannels] = filter.shape;
  const taps = scope.allocate([rows.taps, cols.taps, outChannels, inChannels]);
  const from = scope.backend.typedArrayFromHeap(filter) as Float32Array;
  const to = scope.backend.typedArrayFromHeap(taps) as Float32Array;
  let dst = 0;
  for (let t = 0; t < rows.taps; t++) {
    const kh = rows.first + sh * (rows.taps - 1 - t);
    for (let u = 0; u < cols.taps; u++) {
      const kw = cols.first + sw * (cols.taps - 1 - u);
      const base = (kh * filterWidth + kw) * inChannels * outChannels;
      for (let co = 0; co < outChannels; co++) {
        for (let ci = 0; ci < inChannels; ci++) to[dst++] = from[base + ci * outChannels + co];
      }
    }
  }
  return taps;
}
