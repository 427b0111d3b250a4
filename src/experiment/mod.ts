/**
 * Experiments: config schema, runner, run store, comparison, rerun.
 *
 * @module
 */
export { type AugmentationSettings, type DatasetConfig, parseRunConfig, type RunConfig, runConfigSchema, type TrainingConfig } from "./run_config.ts";
export { type RunContext } from "./run_context.ts";
export { resumeExperiment, runExperiment, type RunOutcome } from "./run_experiment.ts";
export { isResumable } from "./resumable_run.ts";
export { type RunEnd, withRun } from "./with_run.ts";
export { type FitStage, fitStage, type StageContext, type StageResult, trainingFitOptions } from "./fit_stage.ts";
export { type EstimateOptions, estimateLines, estimateTrainingTime, type TrainingTimeEstimate } from "./estimate_training_time.ts";
export {
  findLearningRate,
  type FindLearningRateOptions,
  findLearningRates,
  type FindLearningRatesOptions,
  learningRateComparisonFigure,
  learningRateComparisonLines,
  type LearningRateFinding,
  learningRateFigure,
  learningRateLines,
  saveLearningRateFindings,
} from "./find_learning_rate.ts";
export { precomputeFeatures, type PrecomputedFeatures } from "./precompute_features.ts";
export { applyConfigOverrides, type ConfigOverrides } from "./config_overrides.ts";
export { readRunConfig, type ReadRunConfigOptions } from "./read_run_config.ts";
export {
  COMBINERS,
  type CombinerName,
  type EnsembleMetrics,
  type MemberDiversity,
  type MemberSummary,
  type RunMetrics,
  type SplitSummary,
  type TransferRunMetrics,
} from "./run_metrics.ts";
export { type DatasetEvaluation, type DatasetPredictions, evaluateOnDataset, predictOnDataset } from "./evaluate_on_dataset.ts";
export { evaluateHead, type FeatureSplit } from "./evaluate_head.ts";
export { runTransfer, type TransferRunResult } from "./run_transfer.ts";
export { type TransferContext, trainTransferModel, type TransferTraining } from "./train_transfer_model.ts";
export { type ComparisonRow, compareRuns, type EnsembleDiversity, ensembleDiversities } from "./compare_runs.ts";
export { RUN_ROW_STATUSES, RUN_SORTS, type RunSelection, selectRuns } from "./select_runs.ts";
export { accuracySeedTable } from "./seed_comparison_table.ts";
export { comparisonTable } from "./comparison_table.ts";
export { runsComparisonFigure } from "./runs_comparison_figure.ts";
export { compareDatasets, type DatasetComparisonRow } from "./compare_datasets.ts";
export { datasetComparisonTable } from "./dataset_comparison_table.ts";
export {
  type DatasetEvaluations,
  describeEvaluationSettings,
  saveDatasetEvaluation,
  type SavedDatasetEvaluation,
} from "./save_dataset_evaluation.ts";
export { compareMetrics, type MetricMatch } from "./compare_metrics.ts";
export { loadModel, saveModel } from "./model_files.ts";
export { type PredictionRecord, readPredictions } from "./read_predictions.ts";
export {
  appendHistory,
  checkRunId,
  createRun,
  listRunIds,
  openRun,
  readHistory,
  readRunJson,
  type RunHandle,
  runPath,
  writePredictions,
  writeRunJson,
} from "./run_store.ts";
export { HISTORY_COLUMNS, type HistoryRow, RUN_FILES } from "./run_files.ts";
export { type RunManifest, type RunStatus } from "./run_manifest.ts";
export { writeRunPlots } from "./write_run_plots.ts";
export { AUTO_DATASET_CANDIDATES, autoDatasetCandidates, DEFAULT_AUTO_DATASET, resolveDatasetRoot, SYNTHETIC_DATASET_FOLDER } from "./resolve_dataset_root.ts";
