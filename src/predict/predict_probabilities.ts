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
 * @param options Batch size, the generator `source.batch` requires, the TTA settings (null or absent: none), a
 *   callback after each batch with the samples done and the total, and a signal that stops the pass after the view
 *   (or, with one view, the batch) it is in.
 * @returns One probability row per sample, in source order.
 * @throws The signal's reason (an `AbortError` by default) when it is aborted: a stop asked for during the pass.
 * @example
 * ```ts
 * const rows = await predictProbabilities(model, source, { batchSize: 128, rng: makeRng(0), tta: ttaFromList("flip") });
 * ```
 */
export async function predictProbabilities(
  model: tf.LayersModel,
  source: BatchSource,
  options: { batchSize: number; rng: Rng; tta?: TtaConfig | null; onProgress?: (done: number, total: number) => void; signal?: AbortSignal },
): Promise<Float32Array[]> {
  const views = ttaViews(options.tta ?? null);
  const rows: Float32Array[] = [];
  for (const [start, end] of makeBatches(source.count, options.batchSize)) {
    const indices = Array.from({ length: end - start }, (_, i) => start + i);
    const { x, y } = source.batch(indices, { training: false, rng: options.rng });
    const held: tf.Tensor[] = [x, y];
    try {
      const outputs: tf.Tensor[] = [];
      for (const [v, view] of views.entries()) {
        // The native backend runs a view's forward pass without yielding: seconds for a large net and batch, so a
        // batch of 12 views held a Ctrl-C's handler for half a minute. The wait is now one view of one batch.
        if (v > 0) {
          await yieldToEventLoop();
          options.signal?.throwIfAborted();
        }
        const output = tf.tidy(() => model.apply(view.name === "identity" ? x : applyTtaView(x, view), { training: false }) as tf.Tensor2D);
        held.push(output);
        outputs.push(output);
      }
      const mean = outputs.length === 1 ? outputs[0] : tf.tidy(() => tf.div(tf.addN(outputs), outputs.length));
      if (outputs.length > 1) held.push(mean);
      const values = await mean.data() as Float32Array;
      for (let i = 0; i < end - start; i++) rows.push(values.slice(i * source.numClasses, (i + 1) * source.numClasses));
    } finally {
      tf.dispose(held);
    }
    options.onProgress?.(end, source.count);
    // The yield lets a Ctrl-C's handler run; a pass over many views is minutes of work it should not outlast.
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
  }
  return rows;
}
