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
import { makeRng } from "../../src/train/seed.ts";

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
 * Runs `compute` on cpu, then on wasm, each time from tensors made from the
 * same host arrays, and returns both backends' outputs (read back, disposed).
 *
 * @param inputs Host arrays, made into tensors on each backend.
 * @param compute Builds the outputs from those tensors.
 * @returns The cpu and wasm outputs, and the worst relative error over them.
 */
export async function onBothBackends(
  inputs: HostTensor[],
  compute: (tensors: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: BackendResult; wasm: BackendResult; error: number }> {
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
  const wasm = await run("wasm");
  const error = Math.max(...cpu.values.map((expected, i) => relativeError(wasm.values[i], expected)));
  return { cpu, wasm, error };
}

/**
 * Asserts that `compute` gives the same shapes on cpu and wasm and values
 * within {@linkcode TOLERANCE} (max relative error).
 */
export async function expectParity(inputs: HostTensor[], compute: (t: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<void> {
  const { cpu, wasm, error } = await onBothBackends(inputs, compute);
  expect(wasm.shapes).toEqual(cpu.shapes);
  expect(error).toBeLessThan(TOLERANCE);
}
