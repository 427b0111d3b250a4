/**
 * Training: the fit loop, callbacks, loss, learning-rate control and the seeded generator.
 *
 * @module
 */
export { type BatchSource } from "./batch_source.ts";
export { type BatchLogs, Callback, type CallbackState, type EpochLogs, readMonitor, type TrainContext } from "./callback.ts";
export { CosineSchedule, cosineLearningRate, cosineSchedule, type CosineScheduleOptions } from "./cosine_schedule.ts";
export { LrRangeTest, lrRangeRate, type LrRangeOptions, type LrRangePoint, type LrSuggestion, suggestLearningRate } from "./lr_range_test.ts";
export { OneCycleSchedule, oneCycleSchedule, type OneCycleOptions, oneCycleValues, type OneCycleValues } from "./one_cycle_schedule.ts";
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions } from "./early_stopping.ts";
export { evaluateLoss, type LossEvaluation } from "./evaluate_loss.ts";
export { fit, type FitOptions, type FitResult, type StopReason } from "./fit.ts";
export { decodeFitState, disposeFitState, encodeFitState, type FitState } from "./fit_state.ts";
export { KeepBestWeights, keepBestWeights, type KeepBestOptions } from "./keep_best_weights.ts";
export { imageBatchSource } from "./image_batch_source.ts";
export { makeBatches } from "./make_batches.ts";
export { formatSeconds, passProgress, ProgressBar, progressBar, type ProgressBarOptions } from "./progress_bar.ts";
export { nextEpochSeconds, type SittingLimit, sittingsFor, type SittingStop, sittingStop } from "./sitting_limit.ts";
export { parseClockTime, parseDuration, withClockEnd } from "./sitting_times.ts";
export { ReduceLrOnPlateau, reduceLrOnPlateau, type ReduceLrOptions } from "./reduce_lr_on_plateau.ts";
export { makeRng, Rng } from "../core/seed.ts";
export { getLearningRate, setLearningRate, setMomentum } from "./set_learning_rate.ts";
export { type MixedBatch, mixBatch, type MixOptions, sampleBeta } from "./mix_batch.ts";
export { type LossOptions, trainingLoss } from "./training_loss.ts";
export { trainingStep } from "./training_step.ts";
export { averageDecay, WeightAverage, type WeightAverageOptions } from "./weight_average.ts";
