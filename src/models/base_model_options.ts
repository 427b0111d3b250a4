/**
 * Options every model builder takes.
 *
 * @module
 */

/**
 * The fields shared by every family's options.
 *
 * @example
 * ```ts
 * const options: BaseModelOptions = { inputShape: [48, 48, 1], numClasses: 4, seed: 42 };
 * console.assert(options.inputShape[2] === 1);
 * ```
 */
export interface BaseModelOptions {
  /** Input `[height, width, channels]`, for example `[48, 48, 1]`. */
  inputShape: [number, number, number];
  /** Number of classes of the softmax output. */
  numClasses: number;
  /** Base seed of the kernel initialisers; the same seed gives the same weights. */
  seed: number;
}
