/**
 * Class probabilities of a model over a data source, optionally averaged over
 * test-time augmentation views.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BatchSource } from "../train/batch_source.ts";
import { makeBatches } from "../train/make_batches.ts";
import type { Rng } from "../core/seed.ts";
import { yieldToEventLoop } from "../core/yield_to_event_loop.ts";
import type { TtaConfig } from "./tta_config.ts";
import { applyTtaView, ttaViews } from "./tta_views.ts";

/**
 * Runs the model in inference mode (no dropout, batch-norm statistics
 * frozen) over every sample of `source`, once per TTA view, and averages the
 * probabilities over the views. Without TTA the rows are exactly the model's
 * outputs, as `evaluateLoss` gives them.
 *
 * @param model A model whose output is class probabilities.
 * @param source The samples (validation or test batches, already preprocessed and blurred as in training).
 * @param options Batch size, the generator `source.batch` requires, the TTA settings (null or absent: none), and a
 *   callback after each batch with the samples done and the total.
 * @returns One probability row per sample, in source order.
 * @example
 * ```ts
 * const rows = await predictProbabilities(model, source, { batchSize: 128, rng: makeRng(0), tta: ttaFromList("flip") });
 * ```
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  source: BatchSource,
  options: { batchSize: number; rng: Rng; tta?: TtaConfig | null; onProgress?: (done: number, total: number) => void },
): Promise<Float32Array[]> {
  const views = ttaViews(options.tta ?? null);
  const rows: Float32Array[] = [];
  for (const [start, end] of makeBatches(source.count, options.batchSize)) {
    const indices = Array.from({ length: end - start }, (_, i) => start + i);
    const { x, y } = source.batch(indices, { training: false, rng: options.rng });
    const mean = tf.tidy(() => {
      const outputs = views.map((view) => {
        const input = view.name === "identity" ? x : applyTtaView(x, view);
        return model.apply(input, { training: false }) as tf.Tensor2D;
      });
      return outputs.length === 1 ? outputs[0] : tf.div(tf.addN(outputs), outputs.length);
    });
    const values = await mean.data() as Float32Array;
    tf.dispose([x, y, mean]);
    for (let i = 0; i < end - start; i++) rows.push(values.slice(i * source.numClasses, (i + 1) * source.numClasses));
    options.onProgress?.(end, source.count);
    await yieldToEventLoop();
  }
  return rows;
}
