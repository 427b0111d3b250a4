/**
 * Sweeps: many configs and seeds from one spec, run as child processes on
 * this machine or as jobs on a Ray cluster, recorded in a sweep folder with
 * a summary across seeds; and paired comparisons of runs.
 *
 * @module
 */
export { PARAMETER_KINDS, type ParameterSpec, parseSweepConfig, type SweepConfig, sweepConfigSchema } from "./sweep_config.ts";
export { readSweepFile, type SweepSpec } from "./read_sweep_file.ts";
export { describeParams, expandSettings, expandTrials, isEnsembleTrial, MAX_TRIALS, type SweepTrial, type TrialConfig } from "./expand_trials.ts";
export { estimateSweep, type SettingEstimate, type SweepEstimate, sweepEstimateLines, sweepSittings } from "./estimate_sweep.ts";
export { type EnsembleSettingEstimate, type EnsembleSweepEstimate, ensembleSweepEstimateLines, estimateEnsembleSweep } from "./estimate_ensemble_sweep.ts";
export {
  lockSweepFolder,
  openSweepFolder,
  readSweepRecords,
  saveSweepState,
  SWEEP_FILES,
  sweepDir,
  type SweepFolder,
  SWEEPS_FOLDER,
  trialConfigPath,
  trialLogPath,
  type TrialMetrics,
  type TrialRecord,
  trialsCsv,
  trialsTable,
  type TrialStatus,
} from "./sweep_folder.ts";
export type { TrialAttempt, TrialEngine, TrialLaunch, TrialPlacement } from "./trial_engine.ts";
export { localEngine, type LocalEngineOptions } from "./local_engine.ts";
export { type RayJobInfo, type RayJobRequest, type RayJobsClient, rayJobsClient, type RayJobStatus } from "./ray_jobs_client.ts";
export { rayEngine, type RayEngineOptions, trialEntrypoint } from "./ray_engine.ts";
export { runSweep, type RunSweepOptions, type SweepOutcome } from "./run_sweep.ts";
export { type SettingSummary, summarizeSweep, summaryCsv, summaryLines, type SweepSummary } from "./summarize_sweep.ts";
export { type SweepReport, type SweepReportOptions, writeSweepReport } from "./write_sweep_report.ts";
export { type PairedToBest, pairedToBest, pairedToBestLines } from "./paired_to_best.ts";
export { comparePairedRuns, type PairedComparisonOptions, pairedComparisonLines, type PairedRunComparison, type PairedSplitComparison } from "./paired_run_comparison.ts";
export { RAY_VERSION, type RayLayout, rayLayout, setupRay, type SetupRayOptions, undoRay } from "./setup_ray.ts";
