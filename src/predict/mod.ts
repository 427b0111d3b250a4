/**
 * Predict: a trained model's class probabilities over a batch source, with
 * or without test-time augmentation. Evaluation, ensembles, video and
 * robustness all predict through here, so inference and TTA are written once.
 *
 * @module
 */
export { predictProbabilities } from "./predict_probabilities.ts";
export { CROP_POSITIONS, parseTtaConfig, TTA_PRESETS, ttaConfigSchema, type TtaConfig, ttaFromList, ttaFromOption } from "./tta_config.ts";
export { applyTtaView, type TtaView, ttaViews } from "./tta_views.ts";
