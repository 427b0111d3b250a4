/**
 * The backends whose gradient kernels the parity tests compare with cpu:
 * wasm always (each test file starts it), and tensorflow (tfjs-node) when
 * `deno task setup:native` has built it. Without it, SKIPPED_TENSORFLOW says why.
 *
 * @module
 */
import { loadTfjsNode } from "../../src/backend/_load_tfjs_node.ts";

const node = await loadTfjsNode();

/** Backend names to run each kernel case on. */
export const PARITY_BACKENDS: string[] = node.loaded ? ["wasm", "tensorflow"] : ["wasm"];

/** Why tensorflow is not among them, or "" when it is. */
export const SKIPPED_TENSORFLOW: string = node.loaded ? "" : node.why;
