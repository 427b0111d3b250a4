// The kernels registered for tfjs-node, against the cpu backend (max relative error < 1e-4).
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { expectParity, randomHost } from "./backend_parity.ts";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

afterAll(async () => {
  await tf.setBackend("cpu");
});

// Rotation by 12 degrees about the centre with a zoom and shift, a pure shift, and a projective one.
function matrices(n: number, height: number, width: number): tf.Tensor2D {
  const a = Math.cos(0.2) * 1.1, b = Math.sin(0.2) * 1.1;
  const cy = (height - 1) / 2, cx = (width - 1) / 2;
  const rows = [
    [a, -b, cx - a * cx + b * cy + 0.7, b, a, cy - b * cx - a * cy - 1.3, 0, 0],
    [1, 0, 2.5, 0, 1, -1.5, 0, 0],
    [1.05, 0.1, -1, -0.05, 0.95, 0.5, 0.002, -0.001],
  ];
  return tf.tensor2d(Array.from({ length: n }, (_, i) => rows[i % rows.length]));
}

// tfjs-backend-cpu 4.22's Transform leaves every image after the first at the
// fill value when the matrices differ per image (wasm and TensorFlow agree
// with cpu on each image alone), so the cpu reference transforms one image at a time.
function transform(
  image: tf.Tensor4D,
  transforms: tf.Tensor2D,
  interpolation: "bilinear" | "nearest",
  fillMode: "constant" | "reflect" | "wrap" | "nearest",
  fillValue: number,
  outputShape?: [number, number],
): tf.Tensor4D {
  if (tf.getBackend() !== "cpu") return tf.image.transform(image, transforms, interpolation, fillMode, fillValue, outputShape);
  const images = tf.split(image, image.shape[0]) as tf.Tensor4D[];
  const matrices = tf.split(transforms, transforms.shape[0]) as tf.Tensor2D[];
  return tf.concat(images.map((one, i) => tf.image.transform(one, matrices[i], interpolation, fillMode, fillValue, outputShape)));
}

const CASES: [string, "bilinear", "constant" | "nearest", number][] = [
  ["bilinear, constant fill", "bilinear", "constant", 0],
  ["bilinear, constant fill 0.5", "bilinear", "constant", 0.5],
  // Nearest interpolation is left out: TensorFlow 2.18 picks another neighbour
  // than tfjs for some pixels (e.g. 4 of 25 under a slight shear); augmentation
  // interpolates bilinearly unless a config asks otherwise.
  ["bilinear, nearest fill", "bilinear", "nearest", 0],
];

describe.skipIf(!PARITY_BACKENDS.includes("tensorflow"))(
  `Transform on tensorflow${SKIPPED_TENSORFLOW && ` (skipped: ${SKIPPED_TENSORFLOW})`}`,
  () => {
    it.each(CASES)("matches cpu with %s", async (_label, interpolation, fillMode, fillValue) => {
      await selectBackend("tensorflow");
      await expectParity([randomHost([3, 11, 13, 2], 21)], ([image]) =>
        transform(image as tf.Tensor4D, matrices(3, 11, 13), interpolation, fillMode, fillValue), "tensorflow");
    });

    it.each(["reflect", "wrap"] as const)("refuses fill mode %s, which TensorFlow maps differently", async (fillMode) => {
      await selectBackend("tensorflow");
      const image = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
      expect(() => tf.image.transform(image, tf.tensor2d([[1, 0, 1, 0, 1, 0, 0, 0]]), "bilinear", fillMode)).toThrow(
        `tf.image.transform with fillMode "${fillMode}" is not supported on the tensorflow backend`,
      );
      image.dispose();
    });

    it("matches cpu with another output size", async () => {
      await expectParity([randomHost([3, 12, 12, 1], 22)], ([image]) =>
        transform(image as tf.Tensor4D, matrices(3, 12, 12), "bilinear", "constant", 0, [9, 15]), "tensorflow");
    });
  },
);

describe.skipIf(!PARITY_BACKENDS.includes("tensorflow"))(
  `ReLU's gradient on tensorflow (native ReluGrad)${SKIPPED_TENSORFLOW && ` (skipped: ${SKIPPED_TENSORFLOW})`}`,
  () => {
    it("matches cpu, zero at and below zero", async () => {
      await selectBackend("tensorflow");
      const x = randomHost([4, 7, 9, 3], 23);
      x.values.set([0, -0, 1e-30, -1e-30], 0);
      await expectParity([x, randomHost([4, 7, 9, 3], 24)], ([input, dy]) => tf.grad((t: tf.Tensor) => tf.relu(t))(input, dy), "tensorflow");
    });

    it("keeps tfjs-core's formula on the other backends", async () => {
      await tf.setBackend("cpu");
      const gradient = tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor1d([-1, 0, 2]), tf.tensor1d([5, 6, 7]));
      expect(Array.from(gradient.dataSync())).toEqual([0, 0, 7]);
      gradient.dispose();
    });
  },
);
