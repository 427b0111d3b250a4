/**
 * Loss, accuracy and probabilities of a model over a data source, in inference mode.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { argMax } from "../eval/arg_max.ts";
import type { BatchSource } from "./batch_source.ts";
import { makeBatches } from "./make_batches.ts";
import type { Rng } from "../core/seed.ts";
import { yieldToEventLoop } from "../core/yield_to_event_loop.ts";
import { trainingLoss } from "./training_loss.ts";

/** What {@linkcode evaluateLoss} returns. */
export interface LossEvaluation {
  /** Mean unweighted cross-entropy. */
  loss: number;
  accuracy: number;
  /** One probability row per sample, in source order. */
  probabilities: Float32Array[];
}

/**
 * Runs the model over every sample of `source` (no augmentation, no dropout,
 * batch-norm in inference mode).
 *
 * @param model A model whose output is class probabilities.
 * @param source The samples.
 * @param options Batch size, and the generator the source's `batch` requires (unused without augmentation).
 * @returns Loss, accuracy and probabilities.
 * @example
 * ```ts
 * const { accuracy } = await evaluateLoss(model, validation, { batchSize: 64, rng: makeRng(0) });
 * ```
 */
export async function evaluateLoss(
  model: tf.LayersModel,
  source: BatchSource,
  options: { batchSize: number; rng: Rng },
): Promise<LossEvaluation> {
  const probabilities: Float32Array[] = [];
  let lossSum = 0, correct = 0;
  for (const [start, end] of makeBatches(source.count, options.batchSize)) {
    const indices = Array.from({ length: end - start }, (_, i) => start + i);
    const { x, y } = source.batch(indices, { training: false, rng: options.rng });
    const output = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor2D);
    const loss = trainingLoss(output, y);
    const [values, [lossValue]] = await Promise.all([output.data() as Promise<Float32Array>, loss.data()]);
    tf.dispose([x, y, output, loss]);
    const width = source.numClasses;
    for (let i = 0; i < end - start; i++) {
      const row = values.slice(i * width, (i + 1) * width);
      probabilities.push(row);
      if (argMax(row) === source.labels[start + i]) correct++;
    }
    lossSum += lossValue * (end - start);
    await yieldToEventLoop();
  }
  const count = Math.max(1, source.count);
  return { loss: lossSum / count, accuracy: correct / count, probabilities };
}
