/**
 * What the live page learns from the server about its model (config.json).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { Preprocessing } from "../data/to_tensor.ts";

/**
 * The tfjs backend the page runs on. "auto" takes WebGL on a hardware GPU and
 * wasm when WebGL would render in software (SwiftShader, llvmpipe: no GPU, or
 * a headless browser), where wasm's SIMD kernels are many times faster.
 */
export type LivePageBackend = "auto" | "webgl" | "wasm" | "cpu";

/** The backends the page offers. */
export const LIVE_PAGE_BACKENDS: readonly LivePageBackend[] = ["auto", "webgl", "wasm", "cpu"];

/**
 * Checks a backend name for the page.
 *
 * @param name What the user asked for.
 * @returns The name, typed.
 * @throws {ConfigError} For a name the page does not offer, listing those it does.
 * @example
 * ```ts
 * console.assert(livePageBackend("wasm") === "wasm");
 * ```
 */
export function livePageBackend(name: string): LivePageBackend {
  if (!(LIVE_PAGE_BACKENDS as readonly string[]).includes(name)) {
    throw new ConfigError(`Live page backend "${name}" is unknown; use one of ${LIVE_PAGE_BACKENDS.join(", ")}, e.g. auto`);
  }
  return name as LivePageBackend;
}

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
