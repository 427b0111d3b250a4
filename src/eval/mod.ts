/**
 * Evaluation: pure functions from labels and probabilities to metrics.
 * No tensors, no I/O, no clock; the bootstrap takes the run's generator.
 *
 * @module
 */
export { argMax } from "./arg_max.ts";
export { type CalibrationOptions, expectedCalibrationError } from "./calibration_error.ts";
export { type ClassificationMetrics, classificationMetrics, type ClassScores, macroF1 } from "./classification_metrics.ts";
export { type BootstrapOptions, bootstrapInterval, type Interval, wilsonInterval } from "./confidence_interval.ts";
export { confusionMatrix, normalizeRows } from "./confusion_matrix.ts";
export {
  corruptionError,
  type CorruptionErrorSummary,
  corruptionErrorSummary,
  type CorruptionScores,
  relativeCorruptionError,
} from "./corruption_error.ts";
export { type GroupGapScores, groupGaps, type GroupScores, groupScores } from "./group_metrics.ts";
export { type EvaluateOptions, evaluatePredictions, type LeakFreeMetrics, type SplitMetrics } from "./evaluate_predictions.ts";
