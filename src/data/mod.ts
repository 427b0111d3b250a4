/**
 * Data: find, decode, cache, split, batch and augment face image datasets.
 *
 * @module
 */
export { DEFAULT_CLASSES, FER2013_CLASSES, IMAGE_EXTENSIONS, SPLITS, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
export { type DatasetListing, discoverDataset, type DiscoverOptions, type ImageEntry, isImageName } from "./discover_dataset.ts";
export { decodeImage, type DecodeOptions, equalizeHistogram, equalizeImages, resolveDecodeOptions, type ResolvedDecodeOptions } from "./decode_image.ts";
export { countPerClass, imageLength, type ImageSet, type ImageShape, makeImageSet } from "./image_set.ts";
export { datasetFingerprint, type FingerprintFile, type FingerprintOptions } from "./dataset_fingerprint.ts";
export { DATASET_CACHE_FORMAT, datasetCache, type DatasetCache, type DatasetCacheEntry, type DatasetCacheRead, type UnreadableImage } from "./dataset_cache.ts";
export { type Dataset, loadDataset, type LoadDatasetOptions } from "./load_dataset.ts";
export { checkClassCoverage, type DatasetProblems, type DatasetProblemSummary, describeDatasetProblems } from "./dataset_problems.ts";
export { splitStratified, type StratifiedSplit } from "./split_stratified.ts";
export { oneHotLabels, type Preprocessing, PREPROCESSINGS, toBatchTensor } from "./to_tensor.ts";
export { type ApplyOptions, applyTransformParams, augmentBatch, type ErasingRect, type TransformParams } from "./augment.ts";
export {
  type AugmentationConfig,
  type ErasingConfig,
  isAugmentationOff,
  resolveAugmentation,
  type ResolvedAugmentation,
} from "./augmentation_config.ts";
export { limitImageSet, selectImages } from "./limit_image_set.ts";
export { importDataset, type ImportKind, type ImportOptions, type ImportSummary } from "./import_dataset.ts";
export { type DataReport, dataReport, type DataReportOptions } from "./data_report.ts";
export { formatDataReport, type FormatDataReportOptions } from "./format_data_report.ts";
export { formatImportSummary } from "./format_import_summary.ts";
export { hammingDistance, hashToHex, type PerceptualHash, perceptualHash, type PerceptualHashOptions, popcount32 } from "./perceptual_hash.ts";
export { findLeakedImages, type FindLeakedImagesOptions, type LeakedImage, type Leakage, leakedFlags, withoutLeakedImages } from "./find_leaked_images.ts";
export { generateSyntheticDataset, SYNTHETIC_GENERATOR, type SyntheticDatasetOptions, type SyntheticMarker } from "./synthetic_faces.ts";
