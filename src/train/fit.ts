/**
 * The one training loop: epochs, seeded shuffling, augmentation (through the
 * data source), loss, callbacks, interruption.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BatchSource } from "./batch_source.ts";
import type { BatchLogs, Callback, EpochLogs, TrainContext } from "./callback.ts";
import { makeBatches } from "./make_batches.ts";
import { evaluateLoss } from "./evaluate_loss.ts";
import type { Rng } from "../core/seed.ts";
import { yieldToEventLoop } from "../core/yield_to_event_loop.ts";
import { getLearningRate, setLearningRate, setMomentum } from "./set_learning_rate.ts";
import { l2Penalty, trainingLoss } from "./training_loss.ts";
import { mixBatch, type MixOptions } from "./mix_batch.ts";
import { WeightAverage, type WeightAverageOptions } from "./weight_average.ts";
import type { FitState } from "./fit_state.ts";


/** The batch mixed as `options.mix` says (the plain batch is disposed), or the batch itself. */
function mixed(batch: { x: tf.Tensor; y: tf.Tensor2D }, options: FitOptions): { x: tf.Tensor; y: tf.Tensor2D } {
  if (!options.mix) return batch;
  try {
    const { x, y } = mixBatch(batch.x, batch.y, options.mix, options.rng);
    return { x, y };
  } finally {
    tf.dispose([batch.x, batch.y]);
  }
}

/** Options of {@linkcode fit}. */
export interface FitOptions {
  /** Maximum number of epochs. */
  epochs: number;
  /** Images per training step. @default 32 */
  batchSize?: number;
  /** The optimizer; its learning rate is the starting rate. */
  optimizer: tf.Optimizer;
  /** Shuffles each epoch and drives augmentation. */
  rng: Rng;
  /** Hooks, called in order. @default [] */
  callbacks?: Callback[];
  /** Label smoothing epsilon in [0, 1). @default 0 */
  labelSmoothing?: number;
  /** Loss weight per class, in label order; null for equal weights. @default null */
  classWeights?: readonly number[] | null;
  /** L2 penalty on conv and dense kernels. @default 0 */
  l2?: number;
  /** Mixup or CutMix of training batches (after augmentation); null trains on plain samples. @default null */
  mix?: MixOptions | null;
  /**
   * Keep an exponential moving average of the weights, updated after every
   * step: validation, the epoch-end callbacks (best weights, saving) and the
   * model left at the end see the average; training loss and accuracy are the
   * raw weights'. null trains without one. @default null
   */
  weightAverage?: WeightAverageOptions | null;
  /** Aborting stops training after the current batch; the run stays consistent. */
  signal?: AbortSignal;
  /**
   * Called after every finished epoch (its callbacks done) with the state a
   * resumed training needs; its tensors are valid only during the call.
   * @default none
   */
  onCheckpoint?: (state: FitState) => Promise<void>;
  /**
   * Go on from a saved state instead of starting: weights, optimizer slots,
   * generator, learning rate, weight average and callback states are put
   * back after `onTrainBegin`, the saved epochs open the history, and
   * training starts with epoch `resume.epochsDone` of `epochs`. The caller
   * keeps and disposes the state's tensors. @default null
   */
  resume?: FitState | null;
  /** Passes over validation the caller scores the kept weights with after training (TrainContext.scoringViews). @default none */
  scoringViews?: number;
}

/** How training ended. */
export type StopReason = "completed" | "stopped_by_callback" | "interrupted";

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** Logs of every finished epoch. */
  history: EpochLogs[];
  stopReason: StopReason;
}

/**
 * Trains `model` on `data.train`, validating on `data.validation` after each epoch.
 *
 * Each epoch visits the training samples in an order shuffled by `rng`; the
 * last, smaller batch is kept; with `mix`, training batches are mixed after
 * their augmentation. Validation runs in inference mode without
 * augmentation. Callbacks see `val_loss` and `val_accuracy` when there is
 * validation data. When `signal` aborts, the current epoch is dropped from
 * the history, `onTrainEnd` still runs (so best weights are restored), and the
 * result says `interrupted`.
 *
 * @param model A model whose output is class probabilities (softmax).
 * @param data Training and optional validation sources.
 * @param options See {@linkcode FitOptions}.
 * @returns The history and why training ended.
 * @example
 * ```ts
 * const result = await fit(model, { train, validation }, { epochs: 10, optimizer: tf.train.adam(1e-3), rng: makeRng(0) });
 * console.log(result.history.at(-1)?.val_accuracy);
 * ```
 */
export async function fit(
  model: tf.LayersModel,
  data: { train: BatchSource; validation?: BatchSource },
  options: FitOptions,
): Promise<FitResult> {
  const batchSize = options.batchSize ?? 32;
  const callbacks = options.callbacks ?? [];
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const kernels = model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => w.read());
  const l2 = options.l2 ?? 0;
  const ctx: TrainContext = {
    model,
    epochs: options.epochs,
    batchesPerEpoch: Math.ceil(data.train.count / batchSize),
    stopTraining: false,
    getLearningRate: () => getLearningRate(options.optimizer),
    setLearningRate: (lr) => setLearningRate(options.optimizer, lr),
    setMomentum: (momentum) => setMomentum(options.optimizer, momentum),
    ...(options.scoringViews !== undefined ? { scoringViews: options.scoringViews } : {}),
  };
  const history: EpochLogs[] = [];
  let stopReason: StopReason = "completed";
  const average = options.weightAverage ? new WeightAverage(model, options.weightAverage) : null;
  for (const callback of callbacks) await callback.onTrainBegin(ctx);
  if (options.resume) {
    await restoreFitState(options.resume, { model, ctx, options, callbacks, average, history });
    for (const callback of callbacks) await callback.onTrainResume(history, ctx);
  }
  try {
    for (let epoch = options.resume?.epochsDone ?? 0; epoch < options.epochs && !ctx.stopTraining; epoch++) {
      for (const callback of callbacks) await callback.onEpochBegin(epoch, ctx);
      const started = performance.now();
      const lr = ctx.getLearningRate();
      const order = options.rng.shuffle(Array.from({ length: data.train.count }, (_, i) => i));
      let lossSum = 0, correctSum = 0, seen = 0;
      for (const [batchIndex, [start, end]] of makeBatches(order.length, batchSize).entries()) {
        if (options.signal?.aborted) break;
        const { x, y } = mixed(data.train.batch(order.slice(start, end), { training: true, rng: options.rng }), options);
        // With mixed targets, a prediction counts as right when it names the target's larger share.
        let correct: tf.Scalar | undefined;
        // The penalty is kept apart (as well as in the loss) for the callbacks that read the data's loss alone.
        let penalty: tf.Scalar | undefined;
        const loss = options.optimizer.minimize(() => {
          const probabilities = model.apply(x, { training: true }) as tf.Tensor2D;
          correct = tf.keep(probabilities.argMax(-1).equal(y.argMax(-1)).sum());
          const dataLoss = trainingLoss(probabilities, y, { ...options, l2: 0 });
          if (!(l2 > 0 && kernels.length > 0)) return dataLoss;
          penalty = tf.keep(l2Penalty(kernels, l2));
          return dataLoss.add(penalty);
        }, true, variables)!;
        average?.update();
        const [lossValue] = await loss.data();
        const [correctValue] = await correct!.data();
        const penaltyValue = penalty ? (await penalty.data())[0] : 0;
        tf.dispose([x, y, loss, correct!, ...(penalty ? [penalty] : [])]);
        const size = end - start;
        lossSum += lossValue * size;
        correctSum += correctValue;
        seen += size;
        const batchLogs: BatchLogs = { loss: lossValue, penalty: penaltyValue, accuracy: correctValue / size, size };
        for (const callback of callbacks) await callback.onBatchEnd(batchIndex, batchLogs, ctx);
        // On CPU backends every await above resolves as a microtask, so without
        // a macrotask turn here signal handlers (Ctrl-C) and timers never run.
        await yieldToEventLoop();
      }
      if (options.signal?.aborted) {
        stopReason = "interrupted";
        break;
      }
      const logs: EpochLogs = { loss: lossSum / seen, accuracy: correctSum / seen, lr, seconds: 0 };
      const endEpoch = async () => {
        if (data.validation && data.validation.count > 0) {
          const validation = await evaluateLoss(model, data.validation, { batchSize: Math.max(batchSize, 64), rng: options.rng });
          logs.val_loss = validation.loss;
          logs.val_accuracy = validation.accuracy;
        }
        logs.seconds = (performance.now() - started) / 1000;
        history.push(logs);
        for (const callback of callbacks) await callback.onEpochEnd(epoch, logs, ctx);
      };
      // With an average, it is what is validated, kept as best and saved; training goes on from the raw weights.
      await (average ? average.withAverage(endEpoch) : endEpoch());
      if (ctx.stopTraining) stopReason = "stopped_by_callback";
      if (options.onCheckpoint) await saveFitState(options.onCheckpoint, { model, ctx, options, callbacks, average, history });
    }
  } finally {
    // The average is the model trained; a best-weights callback may then put back an earlier average.
    average?.apply();
    for (const callback of callbacks) await callback.onTrainEnd(ctx);
    average?.dispose();
  }
  return { history, stopReason };
}

/** What the checkpoint helpers read and write inside {@linkcode fit}. */
interface FitParts {
  model: tf.LayersModel;
  ctx: TrainContext;
  options: FitOptions;
  callbacks: Callback[];
  average: WeightAverage | null;
  history: EpochLogs[];
}

/** Hands the state after the epoch just finished to `save`; the optimizer's step count, made for the call, is freed after. */
async function saveFitState(save: (state: FitState) => Promise<void>, parts: FitParts): Promise<void> {
  const { model, ctx, options, callbacks, average, history } = parts;
  const optimizer = await options.optimizer.getWeights();
  const states: FitState["callbacks"] = {};
  for (const callback of callbacks) {
    const key = callback.checkpointKey;
    const state = callback.checkpointState();
    if (key !== null && state !== null) states[key] = state;
  }
  try {
    await save({
      epochsDone: history.length,
      history: [...history],
      rng: options.rng.stateDict(),
      learningRate: ctx.getLearningRate(),
      weights: model.getWeights(),
      optimizer,
      average: average?.checkpointState() ?? null,
      callbacks: states,
    });
  } finally {
    tf.dispose(optimizer.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  }
}

/** Puts a saved state back into the model, optimizer, generator, callbacks and average, and its epochs into the history. */
async function restoreFitState(state: FitState, parts: FitParts): Promise<void> {
  const { model, ctx, options, callbacks, average, history } = parts;
  if (state.epochsDone > options.epochs) {
    throw new RangeError(`The saved training finished ${state.epochsDone} epochs, more than the ${options.epochs} asked`);
  }
  model.setWeights(state.weights);
  // tfjs optimizers make their slots as new variables from these values, as if they had taken the saved steps.
  if (state.optimizer.length > 0) await options.optimizer.setWeights(state.optimizer);
  options.rng.loadStateDict(state.rng);
  ctx.setLearningRate(state.learningRate);
  if (average && state.average) average.restoreCheckpointState(state.average);
  for (const callback of callbacks) {
    const key = callback.checkpointKey;
    if (key !== null && state.callbacks[key]) callback.restoreCheckpointState(state.callbacks[key], ctx);
  }
  history.push(...state.history);
}
