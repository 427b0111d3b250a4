/**
 * Shared internals of the composed wasm kernels: call another registered
 * wasm kernel directly (no engine, no tape) and free the intermediates.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { BackendError } from "../../core/errors.ts";

/** What tfjs hands a kernel function; `backend` is the wasm backend here. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Runs registered wasm kernels on `TensorInfo`s and remembers every output,
 * so that one `dispose()` frees all intermediates except those kept.
 *
 * @example
 * ```ts
 * const scope = new KernelScope(args.backend);
 * try {
 *   const t = scope.run("Transpose", { x }, { perm: [1, 0] });
 *   return scope.keep(t);
 * } finally {
 *   scope.dispose();
 * }
 * ```
 */
export class KernelScope {
  readonly backend: BackendWasm;
  #outputs: tf.TensorInfo[] = [];

  /** @param backend The wasm backend passed to the calling kernel. */
  constructor(backend: unknown) {
    this.backend = backend as BackendWasm;
  }

  /**
   * Runs the wasm kernel `name` and tracks its output.
   *
   * @param name Kernel name, e.g. "Conv2D".
   * @param inputs Named inputs.
   * @param attrs Kernel attributes.
   * @returns The kernel's output.
   */
  run(name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(name, "wasm");
    if (config == null) {
      throw new BackendError(
        `Kernel ${name} is not registered for the wasm backend; import @tensorflow/tfjs-backend-wasm first`,
      );
    }
    const output = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(output)) {
      throw new BackendError(`Kernel ${name} returned ${output.length} tensors where one was expected`);
    }
    this.#outputs.push(output);
    return output;
  }

  /**
   * Reshapes without copying (the wasm Reshape kernel shares the buffer).
   *
   * @param x Tensor to reshape.
   * @param shape New shape with the same number of elements.
   * @returns The reshaped tensor info, tracked like any output.
   */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  /**
   * Allocates an output on the wasm heap, tracked like any other.
   *
   * @param shape Shape of the new tensor.
   * @param dtype Data type. @default "float32"
   * @returns The new tensor info; its contents are undefined until written.
   */
  allocate(shape: number[], dtype: tf.DataType = "float32"): tf.TensorInfo {
    const output = this.backend.makeOutput(shape, dtype);
    this.#outputs.push(output);
    return output;
  }

  /**
   * Stops tracking `info`, so that `dispose()` leaves it alive.
   *
   * @param info An output of `run`.
   * @returns The same `info`.
   */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    this.#outputs = this.#outputs.filter((output) => output !== info);
    return info;
  }

  /** Frees every tracked output. */
  dispose(): void {
    for (const output of this.#outputs) this.backend.disposeData(output.dataId);
    this.#outputs = [];
  }
}

/**
 * Runs `body` with a fresh scope and disposes the scope afterwards, also when
 * `body` throws.
 *
 * @param backend The wasm backend passed to the calling kernel.
 * @param body Builds the result; must `keep` what it returns.
 * @returns What `body` returns.
 * @example
 * ```ts
 * const y = withKernelScope(backend, (s) => s.keep(s.run("Relu", { x })));
 * ```
 */
export function withKernelScope<T>(backend: unknown, body: (scope: KernelScope) => T): T {
  const scope = new KernelScope(backend);
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

/** Marks a kernel function that wraps a stock wasm kernel; holds the stock one. */
export const STOCK_KERNEL: unique symbol = Symbol("stock wasm kernel");

/** A kernel function that wraps, and remembers, a stock one. */
export type WrappedKernelFunc = tf.KernelFunc & { [STOCK_KERNEL]: tf.KernelFunc };

/**
 * Tags `kernel` as the wrapper of `stock`, so registration can tell a
 * wrapper from a stock kernel and never wraps twice.
 *
 * @param kernel The wrapping kernel function.
 * @param stock The stock kernel function it falls back to.
 * @returns `kernel`, tagged.
 * @example
 * ```ts
 * const wrapped = tagAsWrapper((args) => stock(args), stock);
 * console.assert(wrapped[STOCK_KERNEL] === stock);
 * ```
 */
export function tagAsWrapper(kernel: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[], stock: tf.KernelFunc): WrappedKernelFunc {
  return Object.assign(kernel, { [STOCK_KERNEL]: stock }) as WrappedKernelFunc;
}

/**
 * Throws unless the data format is channels-last, the only one wasm runs.
 *
 * @param kernel Kernel name for the message.
 * @param dataFormat The kernel's `dataFormat` attribute (absent means NHWC).
 * @throws {BackendError} For NCHW or any other format.
 * @example
 * ```ts
 * assertChannelsLast("Conv2DBackpropInput", "NHWC"); // passes
 * ```
 */
export function assertChannelsLast(kernel: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new BackendError(
      `${kernel} on wasm supports dataFormat NHWC only, found ${String(dataFormat)}; use channels-last tensors`,
    );
  }
}
