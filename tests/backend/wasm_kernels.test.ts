// Parity of the convolution-gradient kernels on wasm (and on tensorflow when tfjs-node
// is built) with the cpu backend, on identical inputs: max relative error
// (max|tested - cpu| / max|cpu|) < 1e-4 (see backend_parity.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initWasmBackend } from "../../src/backend/init_wasm.ts";
import { expectParity, ParityTable, onBothBackends, randomHost, relativeError, TOLERANCE } from "./backend_parity.ts";
import { PARITY_BACKENDS } from "./parity_backends.ts";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];

/** A convolution case: input [batch, height, width, inC], square kernel k, stride, padding, outC. */
interface ConvCase {
  label: string;
  x: [number, number, number, number];
  k: number;
  out: number;
  stride: number;
  pad: Pad;
}

const conv = (label: string, x: ConvCase["x"], k: number, out: number, stride: number, pad: Pad): ConvCase => ({
  label: `${label}: input ${x.join("x")}, ${k}x${k} kernel, ${out} filters, stride ${stride}, pad ${JSON.stringify(pad)}`,
  x,
  k,
  out,
  stride,
  pad,
});

const CONV_CASES: ConvCase[] = [
  conv("odd map, same", [3, 7, 9, 3], 3, 8, 1, "same"),
  conv("odd map, strided, same", [3, 7, 9, 3], 3, 8, 2, "same"),
  conv("one input channel, valid", [1, 11, 11, 1], 3, 16, 2, "valid"),
  conv("5x5 kernel, valid", [3, 11, 11, 8], 5, 3, 1, "valid"),
  conv("larger map", [1, 24, 24, 16], 3, 3, 1, "same"),
  conv("1x1 kernel", [1, 7, 9, 16], 1, 1, 1, "valid"),
  conv("16 channels, strided, same", [3, 11, 11, 16], 3, 8, 2, "same"),
  conv("5x5 kernel, strided, same", [3, 11, 11, 16], 5, 3, 2, "same"),
  conv("unread bottom row and right column", [3, 8, 10, 16], 3, 8, 2, "valid"),
  conv("numeric pad", [3, 7, 9, 16], 3, 8, 2, 1),
  conv("explicit asymmetric pad", [3, 7, 9, 3], 3, 8, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
  conv("explicit pad, strided", [3, 9, 9, 3], 3, 8, 2, [[0, 0], [2, 0], [0, 1], [0, 0]]),
  conv("stride 3, 5x5 kernel", [3, 11, 11, 3], 5, 8, 3, "same"),
  conv("1x1 kernel, stride 2 (rows no tap reaches)", [3, 7, 9, 8], 1, 8, 2, "valid"),
  conv("even map, strided, same", [3, 8, 8, 16], 3, 16, 2, "same"),
  conv("padding wider than the kernel, strided", [1, 5, 5, 2], 3, 4, 2, [[0, 0], [4, 4], [4, 3], [0, 0]]),
  // In Conv2DBackpropFilter, up to 4 input channels take the patches route when
  // a patch is no wider than the outputs (e.g. "odd map, same": 27 <= 8 is not,
  // "one input channel, valid": 9 <= 16 is), and maps over 32x32 the other layout of x.
  conv("large map, same", [2, 35, 33, 3], 3, 4, 1, "same"),
  conv("large map, strided, valid, unread edge", [2, 36, 34, 2], 3, 3, 2, "valid"),
  conv("large map, 8 channels, same", [2, 35, 33, 8], 3, 4, 1, "same"),
  conv("large map, 5 channels, strided, valid, unread edge", [2, 36, 34, 5], 3, 3, 2, "valid"),
  // 4 channels: patches when a patch (3x3x4 = 36 values) fits the 40 outputs, else the conv.
  conv("4 channels, patches", [2, 9, 9, 4], 3, 40, 1, "same"),
  conv("4 channels, narrow output", [2, 9, 9, 4], 3, 8, 1, "same"),
  conv("one channel, explicit asymmetric pad (patches)", [3, 7, 9, 1], 3, 16, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
  conv("one channel, 5x5 kernel, stride 3, same (patches)", [3, 11, 11, 1], 5, 32, 3, "same"),
  conv("two channels, large map, strided, valid, unread edge (patches)", [2, 36, 34, 2], 3, 24, 2, "valid"),
];

// tfjs-node's convolutions take only "same" and "valid" padding (numeric or
// explicit padding throws "TF Backend supports only 'valid' and 'same'
// padding"); Keras layers use only those two, so training never needs more.
const casesFor = (backend: string): ConvCase[] =>
  backend === "tensorflow" ? CONV_CASES.filter((c) => typeof c.pad === "string") : CONV_CASES;

function outShape(c: ConvCase, depthwise: boolean, multiplier = 1): number[] {
  const filter = [c.k, c.k, c.x[3], depthwise ? multiplier : c.out] as [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(c.x, filter, c.stride, 1, c.pad, undefined, depthwise).outShape;
}

beforeAll(async () => {
  await initWasmBackend({ threads: 2 });
});

const filterTable = new ParityTable("Conv2DBackpropFilter");
const inputTable = new ParityTable("Conv2DBackpropInput");
const depthwiseFilterTable = new ParityTable("DepthwiseConv2dNativeBackpropFilter");
const depthwiseInputTable = new ParityTable("DepthwiseConv2dNativeBackpropInput");

afterAll(async () => {
  console.log([...filterTable.lines(), ...inputTable.lines(), ...depthwiseFilterTable.lines(), ...depthwiseInputTable.lines()].join("\n"));
  await tf.setBackend("cpu");
});

describe.each(PARITY_BACKENDS)("Conv2DBackpropFilter on %s", (backend) => {
  it.each(casesFor(backend))("matches cpu for $label", async (c) => {
    const dy = outShape(c, false);
    await expectParity([randomHost(c.x, 1), randomHost(dy, 2)], ([x, g]) =>
      tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: g }, {
        strides: c.stride,
        pad: c.pad,
        dataFormat: "NHWC",
        filterShape: [c.k, c.k, c.x[3], c.out],
      }) as tf.Tensor, backend, filterTable);
  });
});

describe.each(PARITY_BACKENDS)("Conv2DBackpropInput on %s", (backend) => {
  it.each(casesFor(backend))("matches cpu for $label", async (c) => {
    const dy = outShape(c, false);
    await expectParity([randomHost(dy, 3), randomHost([c.k, c.k, c.x[3], c.out], 4)], ([g, filter]) =>
      tf.engine().runKernel("Conv2DBackpropInput", { dy: g, filter }, {
        strides: c.stride,
        pad: c.pad,
        dataFormat: "NHWC",
        inputShape: c.x,
      }) as tf.Tensor, backend, inputTable);
  });
});

const DEPTHWISE_CASES: [ConvCase, number][] = [
  [conv("multiplier 1", [3, 7, 9, 3], 3, 3, 1, "same"), 1],
  [conv("multiplier 2, strided", [3, 7, 9, 3], 3, 6, 2, "same"), 2],
  [conv("multiplier 2, 5x5 kernel", [1, 11, 11, 8], 5, 16, 2, "valid"), 2],
  [conv("multiplier 1, one channel", [3, 11, 11, 1], 3, 1, 1, "valid"), 1],
  [conv("multiplier 1, unread bottom row", [3, 8, 10, 16], 3, 16, 2, "valid"), 1],
];

describe.each(PARITY_BACKENDS)("DepthwiseConv2dNativeBackpropFilter on %s", (backend) => {
  it.each(DEPTHWISE_CASES)("matches cpu for $label", async (c, multiplier) => {
    const dy = outShape(c, true, multiplier);
    await expectParity([randomHost(c.x, 5), randomHost(dy, 6)], ([x, g]) =>
      tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy: g }, {
        strides: c.stride,
        dilations: 1,
        pad: c.pad,
        filterShape: [c.k, c.k, c.x[3], multiplier],
      }) as tf.Tensor, backend, depthwiseFilterTable);
  });
});

describe.each(PARITY_BACKENDS)("DepthwiseConv2dNativeBackpropInput on %s", (backend) => {
  it.each(DEPTHWISE_CASES)("matches cpu for $label", async (c, multiplier) => {
    const dy = outShape(c, true, multiplier);
    await expectParity([randomHost(dy, 7), randomHost([c.k, c.k, c.x[3], multiplier], 8)], ([g, filter]) =>
      tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy: g, filter }, {
        strides: c.stride,
        dilations: 1,
        pad: c.pad,
        inputShape: c.x,
      }) as tf.Tensor, backend, depthwiseInputTable);
  });
});

// Dilated gradients have no cpu kernel to compare with (tfjs-core's gradient
// refuses dilations), but a 3x3 filter dilated by 2 is a 5x5 filter with zeros.
describe("depthwise gradients with dilation 2", () => {
  const x = randomHost([2, 5, 5, 4], 9);
  const dy = randomHost([2, 5, 5, 8], 10);
  const filter = randomHost([3, 3, 4, 2], 11);
  const spreadIndex = (i: number, j: number) => (i * 2 * 5 + j * 2) * 8;
  const onWasm = async (compute: () => tf.Tensor) => {
    await tf.setBackend("wasm");
    const out = compute();
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  };

  it("gives the input gradient of the zero-spread 5x5 filter", async () => {
    const spread = new Float32Array(5 * 5 * 4 * 2);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) spread.set(filter.values.subarray((i * 3 + j) * 8, (i * 3 + j + 1) * 8), spreadIndex(i, j));
    }
    const attrs = { strides: 1, pad: "same", inputShape: x.shape };
    const dilated = await onWasm(() =>
      tf.tidy(() =>
        tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", {
          dy: tf.tensor(dy.values, dy.shape),
          filter: tf.tensor(filter.values, filter.shape),
        }, { ...attrs, dilations: 2 }) as tf.Tensor
      )
    );
    const { cpu } = await onBothBackends([dy, { values: spread, shape: [5, 5, 4, 2] }], ([g, f]) =>
      tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy: g, filter: f }, { ...attrs, dilations: 1 }) as tf.Tensor);
    expect(relativeError(dilated, cpu.values[0])).toBeLessThan(TOLERANCE);
  });

  it("gives the filter gradient at the zero-spread filter's nonzero taps", async () => {
    const attrs = { strides: 1, pad: "same" };
    const dilated = await onWasm(() =>
      tf.tidy(() =>
        tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", {
          x: tf.tensor(x.values, x.shape),
          dy: tf.tensor(dy.values, dy.shape),
        }, { ...attrs, dilations: 2, filterShape: [3, 3, 4, 2] }) as tf.Tensor
      )
    );
    const { cpu } = await onBothBackends([x, dy], ([input, g]) =>
      tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x: input, dy: g }, {
        ...attrs,
        dilations: 1,
        filterShape: [5, 5, 4, 2],
      }) as tf.Tensor);
    const expected = new Float32Array(3 * 3 * 8);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) expected.set(cpu.values[0].subarray(spreadIndex(i, j), spreadIndex(i, j) + 8), (i * 3 + j) * 8);
    }
    expect(relativeError(dilated, expected)).toBeLessThan(TOLERANCE);
  });
});
