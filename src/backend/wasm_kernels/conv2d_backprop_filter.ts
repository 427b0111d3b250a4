/**
 * Conv2DBackpropFilter for the wasm backend, which ships none (tfjs issue
 * 8474), composed so that XNNPACK's convolution does the work.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { assertShape, conv2dInfo, cropForPadding } from "./_conv_geometry.ts";
import { assertChannelsLast, type KernelArgs, type KernelScope, withKernelScope } from "./_kernel_scope.ts";

/**
 * The gradient of a 2-D convolution with respect to its filter:
 * dW[kh,kw,ci,co] = sum over b,oh,ow of x[b, oh*sh+kh-top, ow*sw+kw-left, ci] * dy[b,oh,ow,co].
 *
 * That sum is itself one convolution, which XNNPACK runs on every thread:
 * its filter is dy as [oh, ow, b, co], dilated by the forward stride, so the
 * sum over images is XNNPACK's reduction axis. Two layouts of x serve as its
 * input; each wins on its own maps (measured A/B on VGG-style layers):
 * - small maps (up to 32x32): x as one image [1, H, W*ci, b] whose columns
 *   interleave width and input channel (dilation sw*ci across); it needs only
 *   a transpose that moves whole runs of memory, and its output
 *   [1, kh, kw*ci, co] is already the gradient's layout (20-25% faster on
 *   12x12 and 6x6 maps);
 * - large maps: x as ci images [ci, H, W, b]; its transpose is slower, but
 *   each image stays in cache while XNNPACK walks the taps (10-20% faster on
 *   48x48 and 96x96 maps).
 * Rows and columns of x that the forward pass never read are cropped first.
 * With few input channels and narrow patches (see PATCHES_MAX_IN_CHANNELS) it
 * is a matrix product of image patches and dy instead.
 *
 * @param args Kernel arguments: inputs `x` [b,H,W,ci] and `dy` [b,oh,ow,co];
 *   attrs `strides`, `pad`, `dataFormat` (NHWC only), `dimRoundingMode`,
 *   `filterShape` [kh,kw,ci,co].
 * @returns The filter gradient, shape `filterShape`.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "wasm", kernelFunc: conv2dBackpropFilter });
 * const x = tf.ones([1, 4, 4, 1]);
 * const dw = tf.grad((w: tf.Tensor4D) => tf.conv2d(x, w, 1, "valid").sum())(tf.ones([3, 3, 1, 1]));
 * console.assert(dw.dataSync()[0] === 4); // every tap meets 2x2 outputs
 * ```
 */
export function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  assertChannelsLast("Conv2DBackpropFilter", attrs.dataFormat);
  const filterShape = attrs.filterShape as number[];
  const info = conv2dInfo({ ...attrs, dilations: 1 }, { x: x.shape, filter: filterShape });
  assertShape("Conv2DBackpropFilter", { input: "dy", actual: dy.shape, expected: info.outShape });
  const { top, left } = info.padInfo;
  // The forward pass read rows [-top, (outHeight-1)*sh + kh - top) of x.
  const bottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - top - info.inHeight;
  const right = (info.outWidth - 1) * info.strideWidth + info.filterWidth - left - info.inWidth;
  const [batch, , , inChannels] = x.shape;
  return withKernelScope(args.backend, (scope) => {
    const cropped = cropForPadding(scope, x, { top, bottom, left, right });
    const [, height, width] = cropped.x.shape;
    const patchWidth = filterShape[0] * filterShape[1] * inChannels;
    if (inChannels <= PATCHES_MAX_IN_CHANNELS && patchWidth <= filterShape[3]) {
      return scope.keep(gradientFromPatches(scope, cropped, dy, filterShape, [info.strideHeight, info.strideWidth]));
    }
    const dyAsFilter = scope.run("Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
    const [, rows, columns] = cropped.pad;
    const dilations = [info.strideHeight, info.strideWidth];
    if (height * width > 32 * 32) {
      const channelsAsImages = scope.run("Transpose", { x: cropped.x }, { perm: [3, 1, 2, 0] });
      const grad = scope.run("Conv2D", { x: channelsAsImages, filter: dyAsFilter }, {
        strides: [1, 1],
        pad: cropped.pad,
        dataFormat: "NHWC",
        dilations,
      });
      return scope.keep(scope.run("Transpose", { x: grad }, { perm: [1, 2, 0, 3] }));
    }
    const imagesLast = scope.run("Transpose", { x: cropped.x }, { perm: [1, 2, 3, 0] });
    const interleaved = scope.reshape(imagesLast, [1, height, width * inChannels, batch]);
    const grad = scope.run("Conv2D", { x: interleaved, filter: dyAsFilter }, {
      strides: [1, 1],
      pad: [[0, 0], rows, [columns[0] * inChannels, columns[1] * inChannels], [0, 0]],
      dataFormat: "NHWC",
      dilations: [dilations[0], dilations[1] * inChannels],
    });
    return scope.keep(scope.reshape(grad, filterShape));
  });
}

/**
 * Up to this many input channels the gradient is a matrix product of image
 * patches and dy: as a convolution its output has only kh * kw * ci pixels (9
 * for a grayscale 3x3 first layer), too few rows for XNNPACK to keep both
 * threads busy (2 GFLOP/s on the small CNN's first layer, 21 ms in a training
 * step; this way 13 ms, of which about 10 are tfjs-wasm's BatchMatMul packing
 * dy, a new tensor every step: a loop over one dy measures 3 ms). Only while a patch (kh * kw * ci values) is no wider than the
 * output channels: building patches costs rows * width^2 multiply-adds
 * against rows * width * co for the product (a 7x7x3 -> 32 layer was 4x slower
 * this way, a 3x3x3 -> 32 one 2x faster).
 */
const PATCHES_MAX_IN_CHANNELS = 4;

/**
 * dW = patches^T dy, with patches [b*oh*ow, kh*kw*ci] in the filter's
 * (kh, kw, ci) order and dy as [b*oh*ow, co]. The patches come from one
 * convolution of x with a 0/1 filter that copies tap (i, j), channel c to
 * output channel (i * kw + j) * ci + c: exact copies, with the forward
 * pass's stride and padding (slicing nine taps and concatenating them took
 * 60 ms on wasm).
 */
function gradientFromPatches(
  scope: KernelScope,
  cropped: { x: tf.TensorInfo; pad: tf.backend_util.ExplicitPadding },
  dy: tf.TensorInfo,
  filterShape: number[],
  strides: [number, number],
): tf.TensorInfo {
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const width = filterHeight * filterWidth * inChannels;
  const picker = scope.allocate([filterHeight, filterWidth, inChannels, width]);
  // The view is taken after the allocation, which may grow the heap.
  const ones = scope.backend.typedArrayFromHeap(picker) as Float32Array;
  ones.fill(0);
  for (let column = 0; column < width; column++) ones[column * width + column] = 1;
  const patches = scope.run("Conv2D", { x: cropped.x, filter: picker }, {
    strides,
    pad: cropped.pad,
    dataFormat: "NHWC",
    dilations: [1, 1],
  });
  const rows = tf.util.sizeFromShape(dy.shape) / outChannels;
  const grad = scope.run(
    "BatchMatMul",
    { a: scope.reshape(patches, [1, rows, width]), b: scope.reshape(dy, [1, rows, outChannels]) },
    { transposeA: true, transposeB: false },
  );
  return scope.reshape(grad, filterShape);
}
