/**
 * Per-kernel speed of the wasm training kernels on a VGG-style layer set
 * (48x48 inputs, 3x3 convolutions, channels 64-128-256-512, batch 32), next
 * to the stock tfjs-backend-wasm kernel where one exists.
 *
 * Usage: deno run -A bench/wasm_kernels.ts [--threads 2] [--reps 5] [--batch 32]
 *
 * Convolutions and matrix products are reported in GFLOP/s (2 * multiply-adds
 * / time, useful work only); pooling, reductions and the batch-norm gradient
 * in milliseconds. "before" is the stock tfjs-backend-wasm kernel (or, for the
 * missing Conv2DBackpropFilter, the composition measured before this work);
 * "after" is what registerWasmTrainingKernels installs. Times are the best of
 * `reps` runs after one warm-up run, each on fresh input buffers.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { parseArgs } from "node:util";
import { initWasmBackend } from "../src/backend/init_wasm.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { threads: { type: "string", default: "2" }, reps: { type: "string", default: "5" }, batch: { type: "string", default: "32" } },
});
const reps = Number(values.reps), batch = Number(values.batch);

// Stock kernels and gradient, captured before initWasmBackend replaces them.
const stock = {
  Conv2DBackpropInput: tf.getKernel("Conv2DBackpropInput", "wasm").kernelFunc,
  MaxPoolGrad: tf.getKernel("MaxPoolGrad", "wasm").kernelFunc,
  BatchMatMul: tf.getKernel("BatchMatMul", "wasm").kernelFunc,
  Sum: tf.getKernel("Sum", "wasm").kernelFunc,
  Identity: tf.getKernel("Identity", "wasm").kernelFunc,
  fusedBatchNormGrad: tf.getGradient("FusedBatchNorm"),
};
const info = await initWasmBackend({ threads: Number(values.threads) });
console.log(`wasm ${info.version}, ${info.threads} thread(s), SIMD ${info.simd}${info.fallback ? ` (${info.fallback})` : ""}`);
const backend = tf.backend() as unknown as { disposeData(id: object): void };

/** The fastest run: on a shared machine, other load only ever adds time. */
function best(samples: number[]): number {
  return Math.min(...samples);
}

/**
 * Best (fastest) milliseconds of `run` over `reps` runs after a warm-up. Each run gets
 * fresh copies of `inputs` (made outside the timing): the C++ side caches
 * packed weights per tensor, and training never sees the same tensor twice.
 */
function time(inputs: tf.NamedTensorInfoMap, run: (inputs: tf.NamedTensorInfoMap) => tf.TensorInfo | tf.TensorInfo[] | tf.Tensor[]): number {
  const samples: number[] = [];
  for (let i = 0; i <= reps; i++) {
    // A new buffer each time (tf.clone would share it).
    const copies = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.add(t as tf.Tensor, 0)]));
    const start = performance.now();
    const out = run(copies);
    const ms = performance.now() - start;
    for (const t of [out].flat()) t instanceof tf.Tensor ? t.dispose() : backend.disposeData(t.dataId);
    tf.dispose(Object.values(copies) as tf.Tensor[]);
    if (i > 0) samples.push(ms);
  }
  return best(samples);
}

/**
 * The composition measured before this work (batch and channel axes of x
 * swapped with a channel-first transpose, dy as the filter), for comparison;
 * written for the 3x3 'same' stride-1 layers below only.
 */
function previousFilterGradient(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) =>
    tf.getKernel(name, "wasm").kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
  const swapped = run("Transpose", { x }, { perm: [3, 1, 2, 0] });
  const filter = run("Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
  // 3x3 'same' with stride 1: one row and column of zeros on every side.
  const pad = [[0, 0], [1, 1], [1, 1], [0, 0]];
  const grad = run("Conv2D", { x: swapped, filter }, { strides: 1, pad, dataFormat: "NHWC", dilations: 1 });
  const out = run("Transpose", { x: grad }, { perm: [1, 2, 0, 3] });
  for (const t of [swapped, filter, grad]) backend.disposeData(t.dataId);
  return out;
}

function kernel(name: string, attrs: tf.NamedAttrMap, func?: tf.KernelFunc) {
  const f = func ?? tf.getKernel(name, "wasm").kernelFunc;
  return (inputs: tf.NamedTensorInfoMap) => f({ inputs, backend, attrs }) as tf.TensorInfo;
}

const rows: string[][] = [["layer", "kernel", "before", "after", "unit"]];
const gflops = (flop: number, ms: number) => (flop / ms / 1e6).toFixed(1);
const layers: [number, number, number][] = [[48, 64, 64], [24, 128, 128], [12, 256, 256], [6, 512, 512]];
for (const [size, inC, outC] of layers) {
  const name = `${size}x${size} ${inC}->${outC}`;
  const x = tf.randomNormal([batch, size, size, inC], 0, 1, "float32", 1);
  const w = tf.randomNormal([3, 3, inC, outC], 0, 0.1, "float32", 2);
  const dy = tf.randomNormal([batch, size, size, outC], 0, 1, "float32", 3);
  const flop = 2 * batch * size * size * 9 * inC * outC;
  const convAttrs = { strides: [1, 1], pad: "same", dataFormat: "NHWC", dilations: [1, 1] };
  const fwd = time({ x, filter: w }, kernel("Conv2D", convAttrs));
  rows.push([name, "Conv2D (forward, reference)", "", gflops(flop, fwd), "GFLOP/s"]);
  const bpfBefore = time({ x, dy }, (inputs) => previousFilterGradient({ inputs }));
  const bpf = time({ x, dy }, kernel("Conv2DBackpropFilter", { ...convAttrs, filterShape: w.shape }));
  rows.push([name, "Conv2DBackpropFilter (stock: missing; before: previous composition)", gflops(flop, bpfBefore), gflops(flop, bpf), "GFLOP/s"]);
  const inputAttrs = { ...convAttrs, inputShape: x.shape };
  const bpiStock = time({ dy, filter: w }, kernel("", inputAttrs, stock.Conv2DBackpropInput));
  const bpi = time({ dy, filter: w }, kernel("Conv2DBackpropInput", inputAttrs));
  rows.push([name, "Conv2DBackpropInput", gflops(flop, bpiStock), gflops(flop, bpi), "GFLOP/s"]);
  const poolAttrs = { filterSize: [2, 2], strides: [2, 2], pad: "valid" };
  const pooled = tf.maxPool(dy as tf.Tensor4D, 2, 2, "valid");
  const poolInputs = { dy: pooled, input: dy, output: pooled };
  const mpStock = time(poolInputs, kernel("", poolAttrs, stock.MaxPoolGrad));
  const mp = time(poolInputs, kernel("MaxPoolGrad", poolAttrs));
  rows.push([name, "MaxPoolGrad 2x2 (on dy-sized input)", mpStock.toFixed(1), mp.toFixed(1), "ms"]);
  const moments = tf.moments(dy, [0, 1, 2]);
  const bnInputs = { x: dy, mean: moments.mean, variance: moments.variance, scale: tf.ones([outC]) };
  const bnGrad = (config: tf.GradConfig) => (t: tf.NamedTensorInfoMap) =>
    tf.tidy(() => {
      const saved = [t.x, t.mean, t.variance, t.scale] as tf.Tensor[];
      const grads = config.gradFunc(t.x as tf.Tensor, saved, { varianceEpsilon: 1e-3 });
      return Object.values(grads).map((g) => tf.keep(g()));
    });
  const bnStock = time(bnInputs, bnGrad(stock.fusedBatchNormGrad));
  const bn = time(bnInputs, bnGrad(tf.getGradient("FusedBatchNorm")));
  rows.push([name, "FusedBatchNorm gradient (all 5)", bnStock.toFixed(1), bn.toFixed(1), "ms"]);
  const sumStock = time({ x: dy }, kernel("", { axis: [0, 1, 2], keepDims: false }, stock.Sum));
  const sum = time({ x: dy }, kernel("Sum", { axis: [0, 1, 2], keepDims: false }));
  rows.push([name, "Sum over batch, height, width", sumStock.toFixed(1), sum.toFixed(1), "ms"]);
  tf.dispose([x, w, dy, pooled, moments.mean, moments.variance, bnInputs.scale]);
}

// A strided layer (ResNet- or MobileNet-style downsampling): 48x48x32 -> 24x24x64, stride 2.
{
  const x = tf.randomNormal([batch, 48, 48, 32], 0, 1, "float32", 7);
  const w = tf.randomNormal([3, 3, 32, 64], 0, 0.1, "float32", 8);
  const dy = tf.randomNormal([batch, 24, 24, 64], 0, 1, "float32", 9);
  const flop = 2 * batch * 24 * 24 * 9 * 32 * 64;
  const attrs = { strides: [2, 2], pad: "same", dataFormat: "NHWC", dilations: [1, 1] };
  const fwd = time({ x, filter: w }, kernel("Conv2D", attrs));
  rows.push(["48x48 32->64 s2", "Conv2D (forward, reference)", "", gflops(flop, fwd), "GFLOP/s"]);
  const bpfStrided = time({ x, dy }, kernel("Conv2DBackpropFilter", { ...attrs, filterShape: w.shape }));
  rows.push(["48x48 32->64 s2", "Conv2DBackpropFilter", "missing", gflops(flop, bpfStrided), "GFLOP/s"]);
  const before = time({ dy, filter: w }, kernel("", { ...attrs, inputShape: x.shape }, stock.Conv2DBackpropInput));
  const after = time({ dy, filter: w }, kernel("Conv2DBackpropInput", { ...attrs, inputShape: x.shape }));
  rows.push(["48x48 32->64 s2", "Conv2DBackpropInput (by phases)", gflops(flop, before), gflops(flop, after), "GFLOP/s"]);
  tf.dispose([x, w, dy]);
}

// Dense layer after the last pool: 3x3x512 features -> 256 units.
const a = tf.randomNormal([batch, 4608], 0, 1, "float32", 4);
const dyDense = tf.randomNormal([batch, 256], 0, 1, "float32", 5);
const wDense = tf.randomNormal([4608, 256], 0, 1, "float32", 6);
const denseFlop = 2 * batch * 4608 * 256;
for (const [label, inputs, attrs] of [
  ["dW = a^T dy (transposeA)", { a, b: dyDense }, { transposeA: true, transposeB: false }],
  ["dx = dy W^T (transposeB)", { a: dyDense, b: wDense }, { transposeA: false, transposeB: true }],
] as const) {
  const before = time(inputs, kernel("", attrs, stock.BatchMatMul));
  const after = time(inputs, kernel("BatchMatMul", attrs));
  rows.push(["dense 4608->256", `BatchMatMul ${label}`, gflops(denseFlop, before), gflops(denseFlop, after), "GFLOP/s"]);
}
const identityStock = time({ x: a }, kernel("", {}, stock.Identity));
const identity = time({ x: a }, kernel("Identity", {}));
rows.push(["dense 4608->256", "Identity (tf.clone of the input)", identityStock.toFixed(2), identity.toFixed(2), "ms"]);

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
