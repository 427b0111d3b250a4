/**
 * A dataset fingerprint that members decoded differently can compare.
 *
 * @module
 */
import { folderFingerprint } from "../data/folder_fingerprint.ts";

/**
 * The decode options {@linkcode dataFingerprint} hashes with: the workbench
 * defaults, so for a run decoded with them it equals the run's own
 * fingerprint.
 */
export const REFERENCE_DECODE = { size: 48, channels: 1, equalize: false } as const;

/**
 * The fingerprint `loadDataset` would give the root's files and classes if
 * they were decoded with {@linkcode REFERENCE_DECODE}. A run's own
 * fingerprint also hashes its decode options (size, channels, equalisation),
 * so two members that read the same files at different sizes have different
 * fingerprints but the same data fingerprint.
 *
 * @param root Dataset root.
 * @param classes Class names in label order.
 * @returns 64 lower-case hex digits.
 * @throws {DatasetError} When the root holds no dataset.
 * @example
 * ```ts
 * const a = await dataFingerprint("data/synthetic/happy_sad_surprise_neutral", ["happy", "sad", "surprise", "neutral"]);
 * console.assert(a.length === 64);
 * ```
 */
export async function dataFingerprint(root: string, classes: readonly string[]): Promise<string> {
  return await folderFingerprint(root, { classes, decode: REFERENCE_DECODE });
}
