/**
 * What the live page learns from the server about its model (config.json).
 *
 * @module
 */
import type { Preprocessing } from "../data/to_tensor.ts";

/**
 * The tfjs backend the page runs on. "auto" takes WebGL on a hardware GPU and
 * wasm when WebGL would render in software (SwiftShader, llvmpipe: no GPU, or
 * a headless browser), where wasm's SIMD kernels are many times faster.
 */
export type LivePageBackend = "auto" | "webgl" | "wasm" | "cpu";

/** The backends the page offers. */
export const LIVE_PAGE_BACKENDS: readonly LivePageBackend[] = ["auto", "webgl", "wasm", "cpu"];

/** The live page's model settings: the run's input and the detector's settings. */
export interface LiveConfig {
  /** The run whose model the page loads. */
  runId: string;
  /** Class names in output order. */
  classes: string[];
  /** Model input side in pixels. */
  size: number;
  /** Model input channels. */
  channels: 1 | 3;
  /** The run's preprocessing. */
  preprocessing: Preprocessing;
  /** The run's histogram equalisation. */
  equalize: boolean;
  /** Face detector input size. */
  inputSize: number;
  /** Most frames between two detector runs (redetect_rule.ts). */
  detectEvery: number;
  /** tfjs backend in the page. */
  backend: LivePageBackend;
}
