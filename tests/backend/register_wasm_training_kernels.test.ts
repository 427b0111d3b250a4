import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initWasmBackend } from "../../src/backend/init_wasm.ts";
import { registerWasmTrainingKernels } from "../../src/backend/register_wasm_training_kernels.ts";
import { STOCK_KERNEL } from "../../src/backend/wasm_kernels/_kernel_scope.ts";
import { BackendError } from "../../src/core/errors.ts";
import { fusedBatchNormGrad } from "../../src/backend/wasm_kernels/fused_batch_norm_grad.ts";
import { onBothBackends, randomHost, relativeError, TOLERANCE } from "./backend_parity.ts";

// tfjs-core's own batch-norm gradient, taken before registration replaces it: the reference.
const stockBatchNormGrad = tf.getGradient("FusedBatchNorm");

beforeAll(async () => {
  await initWasmBackend({ threads: 2 });
});

afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("registerWasmTrainingKernels", () => {
  it("registers the missing training kernels and the batch-norm gradient", () => {
    const names = ["Conv2DBackpropFilter", "DepthwiseConv2dNativeBackpropFilter", "DepthwiseConv2dNativeBackpropInput"];
    for (const name of names) expect(tf.getKernel(name, "wasm")).toBeDefined();
    expect(tf.getGradient("FusedBatchNorm")).toBe(fusedBatchNormGrad);
  });

  it("changes nothing when called again", () => {
    const names = ["Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad", "BatchMatMul", "Sum", "Mean"];
    const before = names.map((name) => tf.getKernel(name, "wasm").kernelFunc);
    const second = registerWasmTrainingKernels();
    expect(names.map((name) => tf.getKernel(name, "wasm").kernelFunc)).toEqual(before);
    expect(second.kernels).toEqual(expect.arrayContaining(names));
  });

  it("wraps each stock kernel once, never a wrapper", () => {
    registerWasmTrainingKernels();
    for (const name of ["BatchMatMul", "Sum", "Mean", "Cast"]) {
      const wrapper = tf.getKernel(name, "wasm").kernelFunc as tf.KernelFunc & { [STOCK_KERNEL]: tf.KernelFunc };
      expect(STOCK_KERNEL in wrapper[STOCK_KERNEL]).toBe(false);
    }
  });
});

describe("the wasm training kernels leak nothing", () => {
  const x = randomHost([2, 8, 8, 3], 1);
  const dy = randomHost([2, 8, 8, 4], 2);
  const filter = randomHost([3, 3, 3, 4], 3);
  const calls: [string, () => tf.Tensor][] = [
    ["Conv2DBackpropFilter", () => run("Conv2DBackpropFilter", { x: t(x), dy: t(dy) }, { strides: 1, pad: "same", dataFormat: "NHWC", filterShape: filter.shape })],
    ["Conv2DBackpropFilter (strided, 16 channels)", () => run("Conv2DBackpropFilter", { x: tf.ones([2, 8, 8, 16]), dy: tf.ones([2, 4, 4, 4]) }, { strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 16, 4] })],
    ["Conv2DBackpropInput", () => run("Conv2DBackpropInput", { dy: t(dy), filter: t(filter) }, { strides: 1, pad: "same", dataFormat: "NHWC", inputShape: x.shape })],
    ["DepthwiseConv2dNativeBackpropFilter", () => run("DepthwiseConv2dNativeBackpropFilter", { x: t(x), dy: tf.ones([2, 4, 4, 6]) }, { strides: 2, dilations: 1, pad: "same", filterShape: [3, 3, 3, 2] })],
    ["DepthwiseConv2dNativeBackpropInput", () => run("DepthwiseConv2dNativeBackpropInput", { dy: tf.ones([2, 4, 4, 6]), filter: tf.ones([3, 3, 3, 2]) }, { strides: 2, dilations: 1, pad: "same", inputShape: x.shape })],
    ["MaxPoolGrad", () => run("MaxPoolGrad", { dy: tf.ones([2, 4, 4, 3]), input: t(x), output: tf.ones([2, 4, 4, 3]) }, { filterSize: 2, strides: 2, pad: "valid" })],
    ["BatchMatMul", () => tf.matMul(tf.ones([6, 5]), tf.ones([6, 7]), true, false)],
    ["Sum", () => tf.sum(t(x), [0, 1, 2])],
    ["Mean", () => tf.mean(t(x), [1, 2])],
    ["Identity", () => tf.clone(t(x))],
    ["Cast", () => tf.cast(t(x), "float32")],
  ];
  const t = (host: { values: Float32Array; shape: number[] }) => tf.tensor(host.values, host.shape);
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;

  it.each(calls)("%s keeps tensor and buffer counts flat over repeated calls", async (_name, call) => {
    await tf.setBackend("wasm");
    const backend = tf.backend();
    tf.tidy(call).dispose();
    const tensors = tf.memory().numTensors, buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) tf.tidy(call).dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});

describe("kernel input checks", () => {
  it("rejects a dy whose shape the forward convolution cannot give", async () => {
    await tf.setBackend("wasm");
    const call = () =>
      tf.tidy(() =>
        tf.engine().runKernel("Conv2DBackpropFilter", { x: tf.ones([2, 8, 8, 16]), dy: tf.ones([2, 8, 8, 4]) }, {
          strides: 2, pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 16, 4],
        })
      );
    expect(call).toThrow(BackendError);
    expect(call).toThrow("Conv2DBackpropFilter got dy of shape [2,8,8,4] where the forward op gives [2,4,4,4]");
  });

  it("rejects channels-first data", async () => {
    await tf.setBackend("wasm");
    const call = () =>
      tf.tidy(() =>
        tf.engine().runKernel("Conv2DBackpropInput", { dy: tf.ones([1, 4, 8, 8]), filter: tf.ones([3, 3, 2, 4]) }, {
          strides: 1, pad: "same", dataFormat: "NCHW", inputShape: [1, 2, 8, 8],
        })
      );
    expect(call).toThrow("Conv2DBackpropInput on wasm supports dataFormat NHWC only, found NCHW");
  });
});

describe("the batch-norm gradient", () => {
  it.each([
    ["per-channel parameters", [4], 0],
    ["parameters kept at rank 4", [1, 1, 1, 4], 0],
    ["inputs far from zero mean", [4], 50],
  ] as const)("matches tfjs-core's gradient on cpu with %s", async (_label, paramShape, shift) => {
    const x = randomHost([3, 5, 7, 4], 4, shift);
    const dy = randomHost([3, 5, 7, 4], 5);
    const params = [6, 7, 8, 9].map((seed) => randomHost([...paramShape], seed));
    params[1].values.forEach((v, i, a) => (a[i] = 0.5 + v * v)); // a variance is positive
    const attrs = { varianceEpsilon: 1e-3 };
    // tfjs-core's gradient only reduces rank-1 parameters; [1,1,1,4] ones hold the same values.
    const { cpu } = await onBothBackends([x, dy, ...params], ([xs, g, mean, variance, scale]) => {
      const perChannel = [mean, variance, scale].map((p) => tf.reshape(p, [4]));
      const grads = stockBatchNormGrad.gradFunc(g, [xs, ...perChannel], attrs);
      return ["x", "mean", "variance", "scale", "offset"].map((name) => grads[name]());
    });
    const { tested: wasm } = await onBothBackends([x, dy, ...params], ([xs, g, mean, variance, scale, offset]) =>
      tf.grads((a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
        tf.mul(tf.batchNorm(a, m, v, o, s, attrs.varianceEpsilon), g).sum()
      )([xs, mean, variance, scale, offset]));
    for (let i = 0; i < 5; i++) expect(relativeError(wasm.values[i], cpu.values[i])).toBeLessThan(TOLERANCE);
  });
});

describe("gradients of a small CNN on wasm", () => {
  it("are bit-identical when computed twice with two threads (reruns reproduce)", async () => {
    await tf.setBackend("wasm");
    const x = randomHost([8, 24, 24, 16], 30), w = randomHost([3, 3, 16, 32], 31);
    const grads = () =>
      tf.tidy(() => {
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same")), 2, 2, "valid").square().sum()
        )([
          tf.tensor4d(x.values, x.shape as [number, number, number, number]),
          tf.tensor4d(w.values, w.shape as [number, number, number, number]),
        ]);
        return [...dx.dataSync(), ...dw.dataSync()];
      });
    expect(grads()).toEqual(grads());
  });

  it("match cpu for conv -> batch norm -> relu -> max pool -> dense", async () => {
    const inputs = [
      randomHost([4, 9, 9, 2], 10),
      randomHost([3, 3, 2, 16], 11, 0),
      randomHost([3, 3, 16, 16], 12),
      randomHost([16], 13, 1),
      randomHost([16], 14),
      randomHost([4 * 4 * 16, 3], 15),
      randomHost([3], 16),
    ];
    const labels = tf.tidy(() => tf.oneHot([0, 2, 1, 2], 3).dataSync() as Float32Array);
    const { cpu, tested: wasm, error } = await onBothBackends([...inputs, { values: labels, shape: [4, 3] }], (t) => {
      const [x, w1, w2, gamma, beta, dense, bias, y] = t;
      const variables = [w1, w2, gamma, beta, dense, bias].map((v, i) => tf.variable(v, true, `v${i}_${tf.getBackend()}`));
      const { grads } = tf.variableGrads(() => {
        const c1 = tf.relu(tf.conv2d(x as tf.Tensor4D, variables[0] as tf.Tensor4D, 1, "same"));
        const c2 = tf.conv2d(c1, variables[1] as tf.Tensor4D, 1, "same");
        const { mean, variance } = tf.moments(c2, [0, 1, 2]);
        const normed = tf.relu(tf.batchNorm(c2, mean, variance, variables[3], variables[2], 1e-3));
        const pooled = tf.maxPool(normed as tf.Tensor4D, 2, 2, "valid");
        const logits = tf.add(tf.matMul(tf.reshape(pooled, [4, -1]), variables[4]), variables[5]);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      }, variables);
      const out = variables.map((v) => tf.clone(grads[v.name]));
      tf.dispose([...variables, ...Object.values(grads)]);
      return out;
    });
    expect(wasm.shapes).toEqual(cpu.shapes);
    expect(error).toBeLessThan(TOLERANCE);
  });

  it("match cpu for depthwise conv -> batch norm -> relu -> global average -> dense", async () => {
    const inputs = [randomHost([3, 8, 8, 4], 20), randomHost([3, 3, 4, 2], 21), randomHost([8, 2], 22)];
    const { cpu, tested: wasm, error } = await onBothBackends(inputs, ([x, depthwise, dense]) =>
      tf.grads((a: tf.Tensor, w: tf.Tensor, d: tf.Tensor) => {
        const c = tf.depthwiseConv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, "same");
        const { mean, variance } = tf.moments(c, [0, 1, 2]);
        const pooled = tf.mean(tf.relu(tf.batchNorm(c, mean, variance, tf.zerosLike(mean), tf.onesLike(mean), 1e-3)), [1, 2]);
        return tf.matMul(pooled, d).square().sum();
      })([x, depthwise, dense]));
    expect(wasm.shapes).toEqual(cpu.shapes);
    expect(error).toBeLessThan(TOLERANCE);
  });
});
