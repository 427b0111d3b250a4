/**
 * Loads a dataset folder into decoded image sets, through a fingerprinted cache.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, DatasetError } from "../core/errors.ts";
import { makeRng } from "../core/seed.ts";
import { decodeDatasetFiles, readDatasetFiles } from "./_load_files.ts";
import { DEFAULT_CLASSES, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
import { type DatasetCacheEntry, datasetCache, type UnreadableImage } from "./dataset_cache.ts";
import { datasetFingerprint } from "./dataset_fingerprint.ts";
import { type DecodeOptions, equalizeImages, resolveDecodeOptions, type ResolvedDecodeOptions } from "./decode_image.ts";
import { discoverDataset } from "./discover_dataset.ts";
import { findLeakedImages, type Leakage, withoutLeakedImages } from "./find_leaked_images.ts";
import { type ImageSet, makeImageSet } from "./image_set.ts";
import { selectImages } from "./limit_image_set.ts";
import { splitStratified } from "./split_stratified.ts";

/** Options for {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** Class names in label order. @default DEFAULT_CLASSES */
  classes?: readonly string[];
  /** How each image is decoded. @default { size: 48, channels: 1, equalize: false } */
  decode?: DecodeOptions;
  /** Folder for decoded-dataset cache files; null decodes every time. @default null */
  cacheDir?: string | null;
  /** Seed of the validation split made from train when there is no validation folder. @default 42 */
  seed?: number;
  /** Share of each train class held out when there is no validation folder, in (0, 1). @default 0.15 */
  validationFraction?: number;
  /** Called while decoding with (images done, images to decode), about 100 times and once at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Images decoded at once (sharp works on its own thread pool). @default 4 x CPU cores */
  concurrency?: number;
  /**
   * Leave out validation and test images that have an exact or near copy in
   * train (see {@linkcode findLeakedImages}), for a clean protocol. @default false
   */
  dropLeaked?: boolean;
  /**
   * Only these splits are read, decoded and fingerprinted (e.g. `["test"]` to
   * evaluate a model on a root without train/). A split asked for but absent
   * comes back empty (test: absent) instead of an error; train is also read
   * when validation is asked for and must be split from it, and is read whole
   * when the root has a validation folder that was not asked for. @default every split, train required
   */
  splits?: readonly SplitName[];
}

/** A loaded dataset. */
export interface Dataset {
  /** The root as given. */
  root: string;
  /** Class names in label order. */
  classes: string[];
  /** The decode options used, defaults filled in. */
  decode: ResolvedDecodeOptions;
  /** SHA-256 (hex) of the classes, decode options, file paths and file bytes. */
  fingerprint: string;
  /** True when the root holds {@linkcode SYNTHETIC_MARKER_FILE}: the images are drawn, not real faces. */
  synthetic: boolean;
  /** Where validation images come from: the `validation/` folder, or a stratified split of train. */
  validationSource: "folder" | "split_from_train";
  /** The split of train, when one was made: its seed and fraction; null otherwise. */
  validationSplit: { seed: number; fraction: number } | null;
  /** Decoded images per split; `test` is absent when the root has no test folder. */
  splits: { train: ImageSet; validation: ImageSet; test?: ImageSet };
  /**
   * Validation and test images with an exact or near copy in train, found on
   * the loaded splits (before any drop, so the counts say what was dropped);
   * null when train was not loaded (see `splits`), since nothing is known then.
   */
  leakage: Leakage | null;
  /** True when leaked validation and test images were left out (`dropLeaked`). */
  droppedLeaked: boolean;
  /** What was skipped: unreadable files, class folders not in the list, non-image files. */
  problems: {
    unreadable: UnreadableImage[];
    skippedClassFolders: { path: string; files: number }[];
    skippedFiles: string[];
  };
  /** How the cache was used: off, hit, written (no file before), rebuilt (bad file replaced, `note` says why) or unwritable. */
  cache: { status: "off" | "hit" | "written" | "rebuilt" | "unwritable"; path: string | null; note: string | null };
}

/**
 * Finds, fingerprints and decodes a dataset laid out as `<root>/<split>/<class>/<image>`.
 *
 * Every file is read and fingerprinted (see {@linkcode datasetFingerprint});
 * when `cacheDir` holds a valid decode with that fingerprint it is used,
 * otherwise the images are decoded and the cache file written. Files that
 * cannot be read or decoded are skipped and listed in `problems.unreadable`.
 * Without a `validation/` folder (or with one holding no image of the
 * classes) a stratified share of train, drawn from `seed`, becomes validation.
 *
 * @param root Dataset root.
 * @param options See {@linkcode LoadDatasetOptions}.
 * @returns The dataset.
 * @throws {DatasetError} When the root is missing, holds no image, or no readable train image.
 * @throws {ConfigError} For a bad decode option, fraction or seed.
 * @example
 * ```ts
 * const dataset = await loadDataset("../shared/data/facial_emotion_images", { cacheDir: ".cache/datasets" });
 * console.assert(dataset.splits.train.height === 48);
 * ```
 */
export async function loadDataset(root: string, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const classes = [...(options.classes ?? DEFAULT_CLASSES)];
  const decode = checkDecode(resolveDecodeOptions(options.decode));
  const fraction = options.validationFraction ?? 0.15;
  const seed = options.seed ?? 42;
  const rng = makeRng(seed);
  const listing = await discoverDataset(root, { classes });
  const wanted = options.splits;
  const hasValidationFolder = (listing.splits.validation?.length ?? 0) > 0;
  if (wanted !== undefined) {
    const validationFromTrain = wanted.includes("validation") && !(listing.splits.validation?.length);
    for (const name of Object.keys(listing.splits) as SplitName[]) {
      if (!wanted.includes(name) && !(name === "train" && validationFromTrain)) delete listing.splits[name];
    }
  }
  const files = readDatasetFiles(root, listing.splits);
  const fileBytes = files.map((f) => ({ relativePath: f.entry.relativePath, bytes: f.bytes }));
  const fingerprint = datasetFingerprint(fileBytes, { classes, decode });
  // Faces are decoded, cached and checked for leaks without equalisation, which comes last: an
  // equalising run then shares the cache file of a plain one and flags the same leaked images.
  const decodeFirst: ResolvedDecodeOptions = { ...decode, equalize: false };
  const cacheKey = decode.equalize ? datasetFingerprint(fileBytes, { classes, decode: decodeFirst }) : fingerprint;

  const cache = options.cacheDir == null ? null : datasetCache(options.cacheDir);
  let entry: DatasetCacheEntry | null = null;
  let cacheInfo: Dataset["cache"] = { status: "off", path: null, note: null };
  if (cache !== null) {
    const found = await cache.read(cacheKey);
    const path = cache.pathFor(cacheKey);
    if (found.status === "hit") entry = found.entry;
    cacheInfo = found.status === "invalid"
      ? { status: "rebuilt", path, note: found.reason }
      : { status: found.status === "hit" ? "hit" : "written", path, note: null };
  }
  if (entry === null) {
    entry = await decodeDatasetFiles(files, {
      fingerprint: cacheKey,
      classes,
      decode: decodeFirst,
      onProgress: options.onProgress,
      concurrency: options.concurrency,
    });
    if (cache !== null) {
      await cache.write(entry).catch((error: Error) => {
        cacheInfo = { ...cacheInfo, status: "unwritable", note: error.message };
      });
    }
  }

  const shape = { height: decode.size, width: decode.size, channels: decode.channels };
  const empty = () => makeImageSet({ pixels: new Uint8Array(0), labels: new Uint8Array(0), paths: [] }, shape);
  const train = entry.splits.train ?? (wanted !== undefined ? empty() : undefined);
  if (train === undefined || (train.count === 0 && wanted === undefined)) {
    throw new DatasetError(
      `Dataset root ${root} has no readable image under train/ (${entry.unreadable.length} unreadable); ` +
        `put training images in train/<class>/ for the classes ${classes.join(", ")}`,
    );
  }
  let splits: Dataset["splits"];
  let validationSplit: Dataset["validationSplit"] = null;
  if (listing.splits.validation !== undefined && listing.splits.validation.length > 0) {
    splits = { train, validation: entry.splits.validation! };
  } else if (train.count === 0 || hasValidationFolder) {
    // A validation folder left out by `splits` is not replaced by a share of train: train stays whole.
    splits = { train, validation: empty() };
  } else {
    const { trainIndices, validationIndices } = splitStratified(train.labels, fraction, rng);
    splits = { train: selectImages(train, trainIndices), validation: selectImages(train, validationIndices) };
    validationSplit = { seed, fraction };
  }
  if (entry.splits.test !== undefined) splits.test = entry.splits.test;
  // Without train (only other splits asked for) there is nothing to leak from: unknown, not clean.
  const leakage = splits.train.count === 0 ? null : findLeakedImages(splits.train, { validation: splits.validation, test: splits.test });
  const droppedLeaked = (options.dropLeaked ?? false) && leakage !== null;
  if (droppedLeaked) splits = withoutLeakedImages(splits, leakage!);
  if (decode.equalize) splits = equalizeSplits(splits);
  return {
    root,
    classes,
    decode,
    fingerprint,
    synthetic: existsSync(join(root, SYNTHETIC_MARKER_FILE)),
    validationSource: validationSplit === null ? "folder" : "split_from_train",
    validationSplit,
    splits,
    leakage,
    droppedLeaked,
    problems: {
      unreadable: entry.unreadable,
      skippedClassFolders: listing.skippedClassFolders,
      skippedFiles: listing.skippedFiles,
    },
    cache: cacheInfo,
  };
}

/** Every split's images histogram-equalised, as decodeImage would have equalised each one. */
function equalizeSplits(splits: Dataset["splits"]): Dataset["splits"] {
  const equalized = (set: ImageSet) => makeImageSet({ pixels: equalizeImages(set.pixels, set), labels: set.labels, paths: set.paths }, set);
  return {
    train: equalized(splits.train),
    validation: equalized(splits.validation),
    ...(splits.test !== undefined && { test: equalized(splits.test) }),
  };
}

function checkDecode(decode: ResolvedDecodeOptions): ResolvedDecodeOptions {
  if (!Number.isInteger(decode.size) || decode.size < 1 || decode.size > 1024) {
    throw new ConfigError(`Decode size ${decode.size} is not a whole number of pixels in [1, 1024]; use 48`);
  }
  if (decode.channels !== 1 && decode.channels !== 3) {
    throw new ConfigError(`Decode channels ${decode.channels} is not 1 or 3; use 1 (grayscale) or 3 (for backbones)`);
  }
  if (typeof decode.equalize !== "boolean") {
    throw new ConfigError(`Decode equalize ${decode.equalize} is not true or false`);
  }
  return decode;
}
