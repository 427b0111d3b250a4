/**
 * Ensembles: combine finished runs (soft vote, weighted soft vote, majority
 * vote, stacking, log-linear pool), fitted on validation only,
 * members averaged over test-time views (src/predict).
 *
 * @module
 */
export { applyCombiner, type CombinerModel, stackingFeatures, type StackingFeatures } from "./apply_combiner.ts";
export { checkMembers } from "./check_members.ts";
export { type CombinedPredictions, combineMembers } from "./combine_members.ts";
export { dataFingerprint, REFERENCE_DECODE } from "./data_fingerprint.ts";
export { diversityTable } from "./diversity_table.ts";
export { type EnsembleEstimate, ensembleEstimateLines, estimateEnsemble, type MemberEstimate } from "./estimate_ensemble.ts";
export { type EnsembleConfig, ensembleConfigSchema, type EnsembleFitting, type EnsembleMemberSpec, parseEnsembleConfig } from "./ensemble_config.ts";
export { ENSEMBLE_FILES, type EnsembleModelFile, readEnsembleModel, readMemberCaches, writeEnsembleModel, writeMemberCache } from "./ensemble_files.ts";
export { buildEnsembleManifest, type EnsembleManifest, type ManifestMember } from "./ensemble_manifest.ts";
export { type EnsembleScoreRow, ensembleScoreFigure, ensembleScores, ensembleScoreTable } from "./ensemble_scores.ts";
export { evaluateEnsemble } from "./evaluate_ensemble.ts";
export { evaluateEnsembleOnDataset } from "./evaluate_ensemble_on_dataset.ts";
export { type CombinerFit, fitCombiner, type FittingOptions } from "./fit_combiner.ts";
export { BIAS_L2, type FitLogisticOptions, fitLogisticRegression, type LogisticModel, logisticProbabilities } from "./fit_logistic_regression.ts";
export { type FitVoteWeightsOptions, fitVoteWeights, type VoteWeightsFit } from "./fit_vote_weights.ts";
export { fitLogLinearPool, type FitLogLinearPoolOptions, type LogLinearPool, logLinearPool } from "./log_linear_pool.ts";
export { majorityVote } from "./majority_vote.ts";
export { memberDiversity } from "./member_diversity.ts";
export { type MemberPredictions, memberPredictions, type SplitPredictions } from "./member_predictions.ts";
export { type ExperimentConfig, parseExperimentConfig, readConfigFile } from "./read_config_file.ts";
export { type ResolvedMember, resolveMembers } from "./resolve_members.ts";
export { type EnsembleOutcome, runEnsemble } from "./run_ensemble.ts";
export { checkShapes, type ProbabilityRows, softVote } from "./soft_vote.ts";
export { stratifiedFolds } from "./stratified_folds.ts";
export { writeEnsembleRun } from "./write_ensemble_run.ts";
