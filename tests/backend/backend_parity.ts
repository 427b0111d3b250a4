import { expect } from "vitest";
/**
 * Test helpers: run the same computation on the cpu backend (the reference)
 * and on wasm, from identical inputs, and measure how far apart they are.
 *
 * Relative error, as used in every parity test:
 *   max |wasm - cpu| / max(max |cpu|, 1e-6)
 * i.e. the largest absolute difference, relative to the reference's scale.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../src/core/seed.ts";

/** Parity bound for every kernel: max relative error below 1e-4. */
export const TOLERANCE = 1e-4;

/** Inputs as plain arrays, so each backend builds its own tensors. */
export interface HostTensor {
  values: Float32Array;
  shape: number[];
}

/**
 * Normal samples from a seeded generator.
 *
 * @param shape Tensor shape.
 * @param seed Generator seed.
 * @param shift Added to every sample (e.g. -10 for all-negative data).
 * @returns Values and shape.
 */
export function randomHost(shape: number[], seed: number, shift = 0): HostTensor {
  const rng = makeRng(seed);
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() + shift;
  return { values, shape };
}

/** The largest absolute difference relative to the reference's largest magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0, scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, 1e-6);
}

/** What one backend produced: the outputs' values and shapes. */
export interface BackendResult {
  values: Float32Array[];
  shapes: number[][];
}

/**
 * Runs `compute` on cpu, then on the tested backend (wasm unless named), each
 * time from tensors made from the same host arrays, and returns both
 * backends' outputs (read back, disposed).
 *
 * @param inputs Host arrays, made into tensors on each backend.
 * @param compute Builds the outputs from those tensors.
 * @param backend The backend under test, already registered.
 * @returns The cpu and tested outputs, and the worst relative error over them.
 */
export async function onBothBackends(
  inputs: HostTensor[],
  compute: (tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  backend = "wasm",
): Promise<{ cpu: BackendResult; tested: BackendResult; error: number }> {
  const run = async (backend: string): Promise<BackendResult> => {
    await tf.setBackend(backend);
    const tensors = inputs.map((input) => tf.tensor(input.values, input.shape));
    const outputs = [compute(tensors)].flat();
    const result = {
      values: outputs.map((output) => output.dataSync() as Float32Array),
      shapes: outputs.map((output) => output.shape),
    };
    tf.dispose([...tensors, ...outputs]);
    return result;
  };
  const cpu = await run("cpu");
  const tested = await run(backend);
  const error = Math.max(...cpu.values.map((expected, i) => relativeError(tested.values[i], expected)));
  return { cpu, tested, error };
}

/**
 * Asserts that `compute` gives the same shapes on cpu and the tested backend
 * (wasm unless named) and values within {@linkcode TOLERANCE} (max relative error).
 */
export async function expectParity(
  inputs: HostTensor[],
  compute: (t: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  backend = "wasm",
  table?: ParityTable,
): Promise<void> {
  const { cpu, tested, error } = await onBothBackends(inputs, compute, backend);
  table?.record(backend, error);
  expect(tested.shapes).toEqual(cpu.shapes);
  expect(error).toBeLessThan(TOLERANCE);
}

/** The worst relative error per kernel and backend of one test file, printed at its end. */
export class ParityTable {
  readonly #worst = new Map<string, number>();

  /** A table whose rows are named by `kernel`. */
  constructor(readonly kernel: string) {}

  /** Notes one case's error on `backend`. */
  record(backend: string, error: number): void {
    this.#worst.set(backend, Math.max(this.#worst.get(backend) ?? 0, error));
  }

  /** One line per backend: kernel, backend, worst relative error. */
  lines(): string[] {
    return [...this.#worst].map(([backend, error]) => `${this.kernel.padEnd(36)} ${backend.padEnd(10)} ${error.toExponential(1)}`);
  }
}
