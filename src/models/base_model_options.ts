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
  /**
   * Pixels the first layer cuts from each border of the input (src/models/input_crop.ts): the net
   * sees the centre `(h - 2c) x (w - 2c)` at about `((h - 2c) / h)^2` of the work. @default 0
   */
  inputCrop?: number;
}
