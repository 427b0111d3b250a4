/**
 * One optimizer step on one batch, the unit that parity tests, leak tests and
 * the training benchmark time and compare. It uses the training objective of
 * src/train (categorical cross-entropy on softmax outputs) with no options, as
 * `fit` does per batch.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { trainingLoss } from "./training_loss.ts";

/**
 * Runs the model in training mode on `batch`, takes one step of `optimizer`
 * on the model's trainable weights, and reads the loss back asynchronously
 * (`dataSync` does not work on the webgpu backend under Deno).
 *
 * @param model A model with a softmax output.
 * @param batch Inputs `[n, h, w, c]` and one-hot targets `[n, K]`; the caller keeps ownership.
 * @param options The optimizer that updates the weights.
 * @returns The loss before the step.
 * @example
 * ```ts
 * const loss = await trainingStep(model, { x, y }, { optimizer: tf.train.sgd(0.1) });
 * console.assert(Number.isFinite(loss));
 * ```
 */
export async function trainingStep(
  model: tf.LayersModel,
  batch: { x: tf.Tensor; y: tf.Tensor2D },
  options: { optimizer: tf.Optimizer },
): Promise<number> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = options.optimizer.minimize(
    () => trainingLoss(model.apply(batch.x, { training: true }) as tf.Tensor2D, batch.y),
    true,
    variables,
  )!;
  const [value] = await loss.data();
  loss.dispose();
  return value;
}
