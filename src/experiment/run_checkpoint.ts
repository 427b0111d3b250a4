/**
 * A run's training checkpoint (checkpoint.bin): what it holds besides the
 * fit state, how a run saves it after each recorded epoch, and what a
 * resumed run gets back from it. One writer for from-scratch and transfer
 * runs, so both can be resumed (resumeExperiment, src/experiment/run_experiment.ts).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { encodeFitState, type FitState } from "../train/fit_state.ts";
import { dropoutCallCounts } from "../models/seeded_dropout.ts";
import { experimentHash } from "./find_identical_run.ts";
import type { RunConfig } from "./run_config.ts";
import { type RunHandle, writeCheckpoint } from "./run_store.ts";

/** What a run's checkpoint holds besides the training state: the config it belongs to, and the dropout layers' calls. */
export interface CheckpointFacts {
  /** experimentHash of the run's config: a checkpoint goes on only the training it was saved from. */
  experiment: string;
  /** Each seeded dropout layer's training calls, in layer order. */
  dropoutCalls: number[];
}

/** A saved training state to go on from, and what the model needs besides its weights. */
export interface TrainingResume {
  state: FitState;
  /** Each seeded dropout layer's training calls (src/models/seeded_dropout.ts). */
  dropoutCalls: number[];
}

/**
 * The `onCheckpoint` of a run's recorded training stage: writes the state
 * after each finished epoch, with the config's hash and `model`'s dropout
 * call counts, into the run folder (replaced atomically).
 *
 * @param run The run.
 * @param config Its config.
 * @param model The model the stage trains (a transfer run's head, in frozen mode).
 * @returns The saver to hand to fitStage.
 * @example
 * ```ts
 * await fitStage(stage, { ...stageContext, onCheckpoint: checkpointSaver(run, config, model) });
 * ```
 */
export function checkpointSaver(run: RunHandle, config: RunConfig, model: tf.LayersModel): (state: FitState) => Promise<void> {
  const experiment = experimentHash(config);
  return async (state) => {
    const facts: CheckpointFacts = { experiment, dropoutCalls: dropoutCallCounts(model) };
    await writeCheckpoint(run, await encodeFitState(state, { ...facts }));
  };
}
