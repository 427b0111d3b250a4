// The stock wasm kernels we wrap (BatchMatMul, Sum, Mean, Cast) or replace (Identity), against cpu.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initWasmBackend } from "../../../src/backend/init_wasm.ts";
import { expectParity, ParityTable, onBothBackends, randomHost } from "../backend_parity.ts";
import { PARITY_BACKENDS } from "../parity_backends.ts";

beforeAll(async () => {
  await initWasmBackend({ threads: 2 });
});

const matMulTable = new ParityTable("BatchMatMul (transposes, batches)");
const reduceTable = new ParityTable("Sum and Mean");

afterAll(async () => {
  console.log([...matMulTable.lines(), ...reduceTable.lines()].join("\n"));
  await tf.setBackend("cpu");
});

const MATMUL_CASES: [string, number[], number[], boolean, boolean][] = [
  ["b transposed (a Dense layer's input gradient)", [5, 7], [9, 7], false, true],
  ["a transposed (a Dense layer's weight gradient)", [7, 5], [7, 9], true, false],
  ["both transposed", [7, 5], [9, 7], true, true],
  ["neither transposed", [5, 7], [7, 9], false, false],
  ["batched, a transposed", [2, 7, 5], [2, 7, 3], true, false],
  ["batched with a broadcast batch, b transposed", [3, 5, 7], [1, 4, 7], false, true],
];

describe.each(PARITY_BACKENDS)("BatchMatMul on %s", (backend) => {
  it.each(MATMUL_CASES)("matches cpu with %s", async (_label, aShape, bShape, transposeA, transposeB) => {
    await expectParity([randomHost(aShape, 13), randomHost(bShape, 14)], ([a, b]) => tf.matMul(a, b, transposeA, transposeB), backend, matMulTable);
  });
});

const REDUCE_CASES: [string, number[], number[], boolean][] = [
  ["batch, height and width of an activation", [3, 5, 7, 4], [0, 1, 2], false],
  ["height and width, keeping dims (global pooling)", [3, 5, 7, 4], [1, 2], true],
  ["the innermost axis", [3, 5, 7, 4], [3], false],
  ["scattered axes", [3, 5, 7, 4], [0, 2], false],
  ["the leading axis of a matrix (a bias gradient)", [6, 4], [0], false],
  ["every axis", [3, 5, 7, 4], [0, 1, 2, 3], false],
  ["a leading axis of size 1", [1, 5, 4], [0], false],
];

describe.each(PARITY_BACKENDS)("Sum and Mean on %s", (backend) => {
  it.each(REDUCE_CASES)("Sum matches cpu over %s", async (_label, shape, axes, keepDims) => {
    await expectParity([randomHost(shape, 15, 0.5)], ([x]) => tf.sum(x, axes, keepDims), backend, reduceTable);
  });

  it.each(REDUCE_CASES)("Mean matches cpu over %s", async (_label, shape, axes, keepDims) => {
    await expectParity([randomHost(shape, 16, 0.5)], ([x]) => tf.mean(x, axes, keepDims), backend, reduceTable);
  });
});

describe("Sum on wasm", () => {
  it("leaves int32 sums to the stock kernel", async () => {
    await tf.setBackend("wasm");
    const sum = tf.tidy(() => tf.sum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2], "int32"), [0, 1]));
    expect(sum.dtype).toBe("int32");
    expect(Array.from(sum.dataSync())).toEqual([16, 20]);
    sum.dispose();
  });
});

describe("Identity on wasm", () => {
  it("shares the buffer, and a clone keeps its values after the original is disposed", async () => {
    await tf.setBackend("wasm");
    const original = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const buffers = tf.backend().numDataIds();
    const copy = tf.clone(original);
    expect(tf.backend().numDataIds()).toBe(buffers);
    original.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.backend().numDataIds()).toBe(buffers - 1);
  });
});

describe("Cast on wasm", () => {
  it("shares the buffer for a cast to the same dtype", async () => {
    await tf.setBackend("wasm");
    const x = tf.tensor1d([1.5, -2.5]);
    const buffers = tf.backend().numDataIds();
    const same = tf.cast(x, "float32");
    expect(tf.backend().numDataIds()).toBe(buffers);
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.5]);
    same.dispose();
  });

  it("converts to int32 and to bool (x != 0) like cpu", async () => {
    const x = { values: new Float32Array([1.7, -2.7, 0, 3.2, -0.2]), shape: [5] };
    const { cpu, tested: wasm } = await onBothBackends([x], ([t]) => [tf.cast(t, "int32"), tf.cast(t, "bool")]);
    expect(wasm.values.map((v) => Array.from(v))).toEqual(cpu.values.map((v) => Array.from(v)));
  });
});
