/**
 * Keeps a copy of the weights from the best epoch, and restores them at the end.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type TrackerOptions, TrackerCallback } from "./_tracker_callback.ts";
import type { CallbackState, EpochLogs, TrainContext } from "./callback.ts";

/** Options of {@linkcode keepBestWeights}. */
export interface KeepBestOptions extends TrackerOptions {
  /** Called after a new best epoch, e.g. to save a checkpoint. */
  onImproved?: (epoch: number, ctx: TrainContext) => void | Promise<void>;
}

/**
 * Snapshots the weights whenever the monitor improves; on train end (also
 * when stopped early or interrupted) puts the best snapshot back.
 */
export class KeepBestWeights extends TrackerCallback {
  /** 0-based epoch of the best weights; -1 before the first epoch. */
  bestEpoch = -1;
  #snapshot: tf.Tensor[] = [];
  readonly #onImproved?: KeepBestOptions["onImproved"];

  constructor(options: KeepBestOptions = {}) {
    super(options);
    this.#onImproved = options.onImproved;
  }

  override onTrainBegin(ctx: TrainContext): void {
    super.onTrainBegin(ctx);
    this.bestEpoch = -1;
    this.#dispose();
  }

  override async onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): Promise<void> {
    if (!this.track(logs)) return;
    this.bestEpoch = epoch;
    this.#dispose();
    this.#snapshot = ctx.model.getWeights().map((w) => tf.clone(w));
    await this.#onImproved?.(epoch, ctx);
  }

  override get checkpointKey(): string {
    return "keep_best_weights";
  }

  /** The tracker's state, the best epoch and the weights of that epoch. */
  override checkpointState(): CallbackState | null {
    const tracked = super.checkpointState()!;
    return { values: { ...tracked.values, bestEpoch: this.bestEpoch }, tensors: this.#snapshot };
  }

  override restoreCheckpointState(state: CallbackState, ctx: TrainContext): void {
    super.restoreCheckpointState(state, ctx);
    this.bestEpoch = state.values.bestEpoch;
    this.#dispose();
    this.#snapshot = (state.tensors ?? []).map((t) => tf.clone(t));
  }

  override onTrainEnd(ctx: TrainContext): void {
    if (this.#snapshot.length > 0) ctx.model.setWeights(this.#snapshot);
    this.#dispose();
  }

  #dispose(): void {
    tf.dispose(this.#snapshot);
    this.#snapshot = [];
  }
}

/**
 * Makes a {@linkcode KeepBestWeights} callback.
 *
 * @param options See {@linkcode KeepBestOptions}.
 * @returns The callback.
 * @example
 * ```ts
 * const best = keepBestWeights({ monitor: "val_accuracy" });
 * ```
 */
export function keepBestWeights(options: KeepBestOptions = {}): KeepBestWeights {
  return new KeepBestWeights(options);
}
