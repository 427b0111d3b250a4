// batchNormTraining (fused on tensorflow, composed elsewhere) against tfjs's own
// training-mode batch norm (tf.moments + tf.batchNorm, differentiated op by op) on cpu.
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { batchNormTraining } from "../../src/backend/batch_norm_training.ts";
import { BackendError } from "../../src/core/errors.ts";
import { selectBackend } from "../../src/backend/select_backend.ts";
import { type HostTensor, ParityTable, randomHost, relativeError, TOLERANCE } from "./backend_parity.ts";
import { PARITY_BACKENDS, SKIPPED_TENSORFLOW } from "./parity_backends.ts";

const EPSILON = 1e-3;
const table = new ParityTable("batchNormTraining (y, stats, grads)");

afterAll(async () => {
  console.log(table.lines().join("\n"));
  await tf.setBackend("cpu");
});

type Normalise = (x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D) => { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor };

const tfjsReference: Normalise = (x, gamma, beta) => {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return { y: tf.batchNorm(x, mean, variance, beta, gamma, EPSILON), mean, variance };
};
const ours: Normalise = (x, gamma, beta) => batchNormTraining(x, gamma, beta, EPSILON);

/** y, mean, variance and the gradients of sum(y * weights) for x, gamma and beta, read back. */
async function outputs(backend: string, normalise: Normalise, inputs: HostTensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const [x, gamma, beta, weights] = inputs.map((input) => tf.tensor(input.values, input.shape));
  const result = tf.tidy(() => {
    const { y, mean, variance } = normalise(x, gamma as tf.Tensor1D, beta as tf.Tensor1D);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(normalise(a, g as tf.Tensor1D, b as tf.Tensor1D).y, weights))
    )([x, gamma, beta]);
    return [y, mean, variance, ...grads];
  });
  const values = await Promise.all(result.map(async (t) => await t.data() as Float32Array));
  tf.dispose([x, gamma, beta, weights, ...result]);
  return values;
}

// [1, 6] and [1, 1, 1, 3]: one value per channel (a dense layer's last batch of one image).
const SHAPES = [[32, 6], [1, 6], [5, 7, 3], [4, 9, 11, 5], [3, 8, 8, 16], [1, 1, 1, 3]];

describe("batchNormTraining", () => {
  it("normalises a hand-computed batch", async () => {
    await tf.setBackend("cpu");
    const { y, mean, variance } = batchNormTraining(tf.tensor2d([[1, 10], [3, 30]]), tf.tensor1d([1, 2]), tf.tensor1d([0, 5]), 0);
    expect(Array.from(await y.data())).toEqual([-1, 3, 1, 7]);
    expect(Array.from(await mean.data())).toEqual([2, 20]);
    expect(Array.from(await variance.data())).toEqual([1, 100]);
    tf.dispose([y, mean, variance]);
  });

  const backends = ["cpu", ...PARITY_BACKENDS];
  it.each(backends.flatMap((backend) => SHAPES.map((shape) => [backend, shape] as const)))(
    "on %s matches tfjs's batch norm on cpu, shape %j",
    async (backend, shape) => {
      await selectBackend(backend);
      const channels = shape[shape.length - 1];
      const inputs = [randomHost(shape, 31, 2), randomHost([channels], 32, 1), randomHost([channels], 33), randomHost(shape, 34)];
      const expected = await outputs("cpu", tfjsReference, inputs);
      const actual = await outputs(backend, ours, inputs);
      const error = Math.max(...expected.map((e, i) => relativeError(actual[i], e)));
      table.record(backend, error);
      expect(error).toBeLessThan(TOLERANCE);
    },
  );

  it.skipIf(!PARITY_BACKENDS.includes("tensorflow"))(
    `runs as the fused TensorFlow ops on tensorflow${SKIPPED_TENSORFLOW && ` (skipped: ${SKIPPED_TENSORFLOW})`}`,
    async () => {
      await selectBackend("tensorflow");
      const x = tf.randomNormal([2, 3, 3, 4], 0, 1, "float32", 1);
      const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => batchNormTraining(t, tf.ones([4]), tf.zeros([4]), EPSILON).y)(x));
      const names = profile.kernels.map((k) => k.name);
      expect(names).toContain("FerBatchNormTraining");
      expect(names).toContain("FerBatchNormTrainingGrad");
      expect(names).not.toContain("Mean");
      x.dispose();
    },
  );

  it("leaves no tensors behind", async () => {
    for (const backend of backends) {
      await selectBackend(backend);
      const [x, gamma, beta] = [tf.randomNormal([4, 5, 5, 3]), tf.variable(tf.ones([3])) as tf.Variable<tf.Rank.R1>, tf.variable(tf.zeros([3])) as tf.Variable<tf.Rank.R1>];
      const step = () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(batchNormTraining(x, gamma, beta, EPSILON).y)) as tf.Scalar, [gamma, beta]);
        tf.dispose([value, ...Object.values(grads)]);
        const { y, mean, variance } = batchNormTraining(x, gamma, beta, EPSILON);
        tf.dispose([y, mean, variance, tf.grad((t: tf.Tensor) => batchNormTraining(t, gamma, beta, EPSILON).y)(x)]);
      };
      step();
      const before = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors, backend).toBe(before);
      tf.dispose([x, gamma, beta]);
    }
  });

  it("refuses a rank it does not normalise", () => {
    const call = () => batchNormTraining(tf.zeros([4]), tf.ones([1]) as tf.Tensor1D, tf.zeros([1]) as tf.Tensor1D, EPSILON);
    expect(call).toThrow(BackendError);
    expect(call).toThrow("batchNormTraining takes a batch of rank 2 to 4, got rank 1");
  });
});
