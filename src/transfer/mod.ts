/**
 * Transfer learning from pretrained face-domain backbones: a registry of
 * backbones that load from disk (face-api's expression and recognition nets
 * rebuilt as tfjs layers, human-models' emotion and MobileFaceNet graphs, or
 * any tfjs model by path or URL), the input adapter from 48x48 gray to their
 * input, frozen features cached per dataset, fine-tuning, the packaged
 * classifiers as baselines, and a collapse check on every run.
 *
 * Runs go through runExperiment (src/experiment) with `model.family: "transfer"`.
 *
 * @module
 */
export {
  BACKBONE_NAMES,
  type BackboneInfo,
  type BackboneName,
  BACKBONES,
  type CustomBackboneConfig,
  FETCH_HUMAN_MODELS,
  HUMAN_MODELS_DIR,
} from "./backbone_registry.ts";
export { type Backbone, type BackboneOutput, loadBackbone } from "./load_backbone.ts";
export { backboneTable } from "./backbone_table.ts";
export { buildHead, type HeadOptions } from "./build_head.ts";
export { buildTransferModel, type TransferMode, type TransferModel, type TransferModelOptions } from "./build_transfer_model.ts";
export { type CollapseOptions, collapseWarnings, type SplitPredictionCounts } from "./collapse_warnings.ts";
export { FACE_EXPRESSION_INPUT_SIZE, FACE_EXPRESSION_LABELS, faceExpressionLayers } from "./face_expression_layers.ts";
export { FACE_RECOGNITION_INPUT_SIZE, faceRecognitionLayers } from "./face_recognition_layers.ts";
export { featureBatchSource } from "./feature_batch_source.ts";
export { FEATURE_CACHE_FORMAT, type FeatureCache, featureCache, featureKey, type FeatureMatrix } from "./feature_cache.ts";
export { fetchHumanModels, type FetchHumanModelsOptions, HUMAN_MODELS_PACKAGE, HUMAN_MODELS_PINS, type PackTarball } from "./fetch_human_models.ts";
export { attachGraphLayers, writeGraphLayers } from "./graph_layer_files.ts";
export { type FeaturePooling, GraphModelLayer, graphModelLayer, type GraphOutputSpec } from "./graph_model_layer.ts";
export { matchClassLabels } from "./match_class_labels.ts";
export { type ChannelNormalization, NORMALIZATION_NAMES, type NormalizationName, resolveNormalization } from "./normalization.ts";
export { type ModelFiles, readModelArtifacts } from "./read_model_artifacts.ts";
export { readWeightManifest, type WeightManifestContents } from "./read_weight_manifest.ts";
export { splitFeatures, type SplitFeaturesOptions } from "./split_features.ts";
export { type ConfigIssue, transferConfigIssues } from "./transfer_config_issues.ts";
export { type TransferMetrics } from "./transfer_metrics.ts";
export { type TransferSection, transferSectionSchema } from "./transfer_section.ts";
export { transferSummaryTable } from "./transfer_summary_table.ts";
