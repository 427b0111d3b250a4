/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend, which ships none,
 * composed from XNNPACK's depthwise convolution.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { assertShape, conv2dInfo, cropForPadding, flipSpatially, spreadByStride } from "./_conv_geometry.ts";
import { type KernelArgs, withKernelScope } from "./_kernel_scope.ts";

/**
 * The gradient of a depthwise convolution with respect to its input.
 *
 * dy (c*m channels) is spread by the forward stride and padded; a depthwise
 * convolution with the spatially flipped filter, seen as [kh,kw,c*m,1] and
 * dilated like the forward filter, gives one map per (channel, multiplier);
 * the m maps of each channel are summed.
 *
 * @param args Kernel arguments: inputs `dy` [b,oh,ow,c*m] and `filter`
 *   [kh,kw,c,m]; attrs `strides`, `dilations`, `pad`, `dimRoundingMode`,
 *   `inputShape` [b,H,W,c].
 * @returns The input gradient, shape `inputShape`.
 * @example
 * ```ts
 * tf.registerKernel({ kernelName: "DepthwiseConv2dNativeBackpropInput", backendName: "wasm", kernelFunc: depthwiseBackpropInput });
 * const w = tf.ones([3, 3, 1, 2]);
 * const dx = tf.grad((x: tf.Tensor4D) => tf.depthwiseConv2d(x, w, 1, "valid").sum())(tf.ones([1, 3, 3, 1]));
 * console.assert(dx.dataSync()[4] === 2); // the centre feeds both multipliers
 * ```
 */
export function depthwiseBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs ?? {};
  const info = conv2dInfo(attrs, { x: attrs.inputShape as number[], filter: filter.shape, depthwise: true });
  assertShape("DepthwiseConv2dNativeBackpropInput", { input: "dy", actual: dy.shape, expected: info.outShape });
  const [filterHeight, filterWidth, channels, multiplier] = filter.shape;
  const [batch, height, width] = attrs.inputShape as number[];
  return withKernelScope(args.backend, (scope) => {
    const spread = spreadByStride(scope, dy, info);
    const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
    const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
    const cropped = cropForPadding(scope, spread, {
      top,
      left,
      bottom: height + info.effectiveFilterHeight - 1 - top - spread.shape[1],
      right: width + info.effectiveFilterWidth - 1 - left - spread.shape[2],
    });
    const flipped = flipSpatially(scope, filter);
    const perOutput = scope.reshape(flipped, [filterHeight, filterWidth, channels * multiplier, 1]);
    const maps = scope.run("DepthwiseConv2dNative", { x: cropped.x, filter: perOutput }, {
      strides: [1, 1],
      pad: cropped.pad,
      dilations: [info.dilationHeight, info.dilationWidth],
    });
    if (multiplier === 1) return scope.keep(maps);
    const grouped = scope.reshape(maps, [batch, height, width, channels, multiplier]);
    return scope.keep(scope.run("Sum", { x: grouped }, { axis: [4], keepDims: false }));
  });
}
