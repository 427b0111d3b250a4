/**
 * Class lists and split names the workbench knows by default.
 *
 * The order of a class list is the label order everywhere (tensors,
 * confusion matrices, predictions.csv), so it is fixed and recorded.
 *
 * @module
 */

/** The capstone's four classes, in label order. */
export const DEFAULT_CLASSES: readonly string[] = ["happy", "sad", "surprise", "neutral"];

/** FER-2013's seven classes, in the order of its `emotion` column (0..6). */
export const FER2013_CLASSES: readonly string[] = [
  "angry",
  "disgust",
  "fear",
  "happy",
  "sad",
  "surprise",
  "neutral",
];

/** Split folder names, in the order they are reported. */
export const SPLITS = ["train", "validation", "test"] as const;

/** One of {@linkcode SPLITS}. */
export type SplitName = typeof SPLITS[number];

/** File extensions read as images (lower-case, without the dot). */
export const IMAGE_EXTENSIONS: readonly string[] = ["jpg", "jpeg", "png", "bmp", "tif", "tiff"];

/**
 * A file at a dataset root that marks it as synthetic. Every loader reads it
 * so that runs, reports and plots on synthetic data say so.
 */
export const SYNTHETIC_MARKER_FILE = "SYNTHETIC.json";
