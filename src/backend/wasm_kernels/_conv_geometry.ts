/**
 * Shared internals of the composed convolution gradients: geometry from
 * kernel attributes, zero-spreading by a stride, and turning signed padding
 * into a crop plus non-negative explicit padding.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { BackendError } from "../../core/errors.ts";
import type { KernelScope } from "./_kernel_scope.ts";

/** A rank-4 shape. */
export type Shape4 = [number, number, number, number];

/** Padding per side; negative values mean "crop this many". */
export interface SignedPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The forward op's shapes, for {@linkcode conv2dInfo}. */
export interface ForwardShapes {
  /** Forward input shape [b,H,W,c]. */
  x: number[];
  /** Forward filter shape [kh,kw,in,out] (depthwise: [kh,kw,in,multiplier]). */
  filter: number[];
  /** Whether the forward op is a depthwise convolution. @default false */
  depthwise?: boolean;
}

/**
 * The forward convolution's geometry, from a backprop kernel's attributes.
 *
 * @param attrs Kernel attributes: strides, pad, dilations (default 1), dimRoundingMode.
 * @param shapes The forward input and filter shapes, and whether it is depthwise.
 * @returns tfjs's Conv2DInfo (padding, output size, strides, dilations).
 * @example
 * ```ts
 * const info = conv2dInfo({ strides: 1, pad: "same" }, { x: [1, 5, 5, 1], filter: [3, 3, 1, 1] });
 * console.assert(info.padInfo.top === 1);
 * ```
 */
export function conv2dInfo(attrs: tf.NamedAttrMap, shapes: ForwardShapes): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    shapes.x as Shape4,
    shapes.filter as Shape4,
    attrs.strides as number | [number, number],
    (attrs.dilations ?? 1) as number | [number, number],
    attrs.pad as "same" | "valid" | number | tf.backend_util.ExplicitPadding,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    shapes.depthwise ?? false,
  );
}

/** What {@linkcode assertShape} checks. */
export interface ShapeCheck {
  /** Input name for the message, e.g. "dy". */
  input: string;
  /** The input's shape. */
  actual: number[];
  /** The shape the forward op gives. */
  expected: number[];
}

/**
 * Throws unless a kernel input has the shape that the forward op implies.
 *
 * @param kernel Kernel name for the message.
 * @param check The input's name, its shape and the expected shape.
 * @throws {BackendError} When the shapes differ.
 * @example
 * ```ts
 * assertShape("MaxPoolGrad", { input: "dy", actual: [1, 2, 2, 3], expected: [1, 2, 2, 3] }); // passes
 * ```
 */
export function assertShape(kernel: string, check: ShapeCheck): void {
  if (!tf.util.arraysEqual(check.actual, check.expected)) {
    throw new BackendError(
      `${kernel} got ${check.input} of shape [${check.actual}] where the forward op gives [${check.expected}]; ` +
        "check the strides, padding and shapes passed to it",
    );
  }
}

/** Row and column strides, for {@linkcode spreadByStride}. */
export interface Strides {
  /** Row stride sh >= 1. */
  strideHeight: number;
  /** Column stride sw >= 1. */
  strideWidth: number;
}

/**
 * Spreads the rows and columns of `x` [b,h,w,c] by a stride: output
 * [b, h*sh, w*sw, c] holds x[b,i,j] at (i*sh, j*sw) and zeros elsewhere
 * (including sh-1 trailing zero rows and sw-1 trailing zero columns).
 *
 * @param scope Scope that tracks the intermediates.
 * @param x Tensor to spread.
 * @param strides Row and column strides (tfjs's Conv2DInfo has both fields).
 * @returns The spread tensor, or `x` itself when both strides are 1.
 * @example
 * ```ts
 * const spread = spreadByStride(scope, dy, { strideHeight: 2, strideWidth: 2 }); // [b,2h,2w,c]
 * ```
 */
export function spreadByStride(scope: KernelScope, x: tf.TensorInfo, strides: Strides): tf.TensorInfo {
  const { strideHeight, strideWidth } = strides;
  if (strideHeight === 1 && strideWidth === 1) return x;
  const [batch, height, width, channels] = x.shape;
  const split = scope.reshape(x, [batch, height, 1, width, 1, channels]);
  const padded = scope.run("PadV2", { x: split }, {
    paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
    constantValue: 0,
  });
  return scope.reshape(padded, [batch, height * strideHeight, width * strideWidth, channels]);
}

/**
 * Flips a filter [kh,kw,...] in both spatial axes: (i,j) moves to
 * (kh-1-i, kw-1-j). That reverses the order of its kh*kw blocks, so it is
 * done as kh*kw block copies on the heap (wasm's Reverse kernel took 168 ms
 * on a 3x3x512x512 filter; this takes about 1 ms).
 *
 * @param scope Scope that tracks the result.
 * @param filter Float32 filter, spatial axes first.
 * @returns The flipped filter, same shape.
 * @example
 * ```ts
 * const flipped = flipSpatially(scope, filter); // [3,3,c,m] -> [3,3,c,m], taps reversed
 * ```
 */
export function flipSpatially(scope: KernelScope, filter: tf.TensorInfo): tf.TensorInfo {
  const taps = filter.shape[0] * filter.shape[1];
  const block = tf.util.sizeFromShape(filter.shape) / taps;
  const flipped = scope.allocate(filter.shape, "float32");
  // Views are taken after the allocation, which may grow the heap.
  const from = scope.backend.typedArrayFromHeap(filter) as Float32Array;
  const to = scope.backend.typedArrayFromHeap(flipped) as Float32Array;
  for (let tap = 0; tap < taps; tap++) to.set(from.subarray(tap * block, (tap + 1) * block), (taps - 1 - tap) * block);
  return flipped;
}

/**
 * Applies signed padding to the spatial axes of `x` [b,h,w,c]: negative sides
 * are cropped now with a Slice, positive sides are returned as the explicit
 * padding for the convolution that follows.
 *
 * @param scope Scope that tracks the intermediates.
 * @param x Tensor to pad.
 * @param padding Signed padding per side.
 * @returns The (possibly cropped) tensor and the explicit padding left to apply.
 * @example
 * ```ts
 * const { x: cropped, pad } = cropForPadding(scope, x, { top: 1, bottom: -1, left: 0, right: 0 });
 * // cropped lost its last row; pad is [[0,0],[1,0],[0,0],[0,0]]
 * ```
 */
export function cropForPadding(
  scope: KernelScope,
  x: tf.TensorInfo,
  padding: SignedPadding,
): { x: tf.TensorInfo; pad: tf.backend_util.ExplicitPadding } {
  const { top, bottom, left, right } = padding;
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  if (Math.min(top, bottom, left, right) >= 0) return { x, pad };
  const [batch, height, width, channels] = x.shape;
  const cropTop = Math.max(-top, 0), cropLeft = Math.max(-left, 0);
  const size = [
    batch,
    height - cropTop - Math.max(-bottom, 0),
    width - cropLeft - Math.max(-right, 0),
    channels,
  ];
  return { x: scope.run("Slice", { x }, { begin: [0, cropTop, cropLeft, 0], size }), pad };
}
