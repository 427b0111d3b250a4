/**
 * The fingerprint `loadDataset` would give a dataset folder, without decoding
 * it: every file of the configured classes is read and hashed.
 *
 * @module
 */
import { datasetFingerprint } from "./dataset_fingerprint.ts";
import { type DecodeOptions, resolveDecodeOptions } from "./decode_image.ts";
import { discoverDataset } from "./discover_dataset.ts";
import { readDatasetFiles } from "./_load_files.ts";

/**
 * Hashes the folder's files as `loadDataset` does (its `fingerprint`, for every split), so a run's recorded
 * fingerprint can be checked against the folder as it is now.
 *
 * @param root Dataset root.
 * @param options Class names in label order, and the decode options (defaults filled in as loadDataset does).
 * @returns 64 lower-case hex digits.
 * @throws {DatasetError} When the root holds no dataset.
 * @example
 * ```ts
 * const now = await folderFingerprint("../shared/data/facial_emotion_images", { classes: ["happy", "sad", "surprise", "neutral"] });
 * console.assert(now.length === 64);
 * ```
 */
export async function folderFingerprint(root: string, options: { classes: readonly string[]; decode?: DecodeOptions }): Promise<string> {
  const listing = await discoverDataset(root, { classes: options.classes });
  const files = readDatasetFiles(root, listing.splits).map((f) => ({ relativePath: f.entry.relativePath, bytes: f.bytes }));
  return datasetFingerprint(files, { classes: options.classes, decode: resolveDecodeOptions(options.decode) });
}
