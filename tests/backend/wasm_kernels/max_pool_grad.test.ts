// MaxPoolGrad on wasm against the cpu backend (max relative error < 1e-4, see backend_parity.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initWasmBackend } from "../../../src/backend/init_wasm.ts";
import { expectParity, ParityTable, onBothBackends, randomHost } from "../backend_parity.ts";
import { PARITY_BACKENDS } from "../parity_backends.ts";

beforeAll(async () => {
  await initWasmBackend({ threads: 2 });
});

const poolTable = new ParityTable("MaxPoolGrad");

afterAll(async () => {
  console.log(poolTable.lines().join("\n"));
  await tf.setBackend("cpu");
});

const POOL_CASES: [string, number[], number, number, "same" | "valid", number][] = [
  ["pool 2 stride 2 valid, even map", [3, 8, 8, 4], 2, 2, "valid", 0],
  ["pool 2 stride 2 valid, odd map", [3, 7, 9, 3], 2, 2, "valid", 0],
  ["pool 3 stride 2 same (overlapping windows)", [3, 11, 11, 8], 3, 2, "same", 0],
  ["pool 2 stride 2 same, odd map (partial windows)", [1, 7, 9, 16], 2, 2, "same", 0],
  ["all values negative", [3, 7, 9, 3], 2, 2, "valid", -10],
  ["pool 3 stride 2 same, all values negative", [3, 11, 11, 8], 3, 2, "same", -10],
];

describe.each(PARITY_BACKENDS)("MaxPoolGrad on %s", (backend) => {
  it.each(POOL_CASES)("matches cpu for %s", async (_label, shape, size, stride, pad, shift) => {
    const info = tf.backend_util.computePool2DInfo(shape as [number, number, number, number], size, stride, 1, pad);
    await expectParity([randomHost(shape, 11, shift), randomHost(info.outShape, 12)], ([x, g]) =>
      tf.engine().runKernel("MaxPoolGrad", { dy: g, input: x, output: tf.zerosLike(g) }, {
        filterSize: size,
        strides: stride,
        pad,
      }) as tf.Tensor, backend, poolTable);
  });
});

describe("MaxPoolGrad on wasm", () => {
  it("sends each window's gradient to its first maximum when values tie", async () => {
    // After a ReLU many windows are all zeros; the first position of the maximum gets it all.
    const x = { values: new Float32Array([0, 0, 0, 3, 0, 0, 3, 0]), shape: [1, 2, 4, 1] };
    const dy = { values: new Float32Array([5, 7]), shape: [1, 1, 2, 1] };
    const { cpu, tested: wasm } = await onBothBackends([x, dy], ([input, g]) =>
      tf.engine().runKernel("MaxPoolGrad", { dy: g, input, output: g }, { filterSize: 2, strides: 2, pad: "valid" }) as tf.Tensor);
    expect(Array.from(wasm.values[0])).toEqual([5, 0, 0, 7, 0, 0, 0, 0]);
    expect(Array.from(wasm.values[0])).toEqual(Array.from(cpu.values[0]));
  });

  it("follows the cpu rule for windows holding NaN and infinities", async () => {
    const values = new Float32Array([NaN, 1, -Infinity, -Infinity, 2, Infinity, -Infinity, -Infinity, NaN, NaN, 3, NaN]);
    const x = { values, shape: [1, 2, 6, 1] };
    const dy = { values: new Float32Array([1, 2, 3]), shape: [1, 1, 3, 1] };
    const { cpu, tested: wasm } = await onBothBackends([x, dy], ([input, g]) =>
      tf.engine().runKernel("MaxPoolGrad", { dy: g, input, output: g }, { filterSize: 2, strides: 2, pad: "valid" }) as tf.Tensor);
    expect(Array.from(wasm.values[0])).toEqual(Array.from(cpu.values[0]));
  });
});
