/**
 * A dataset fingerprint that members decoded differently can compare.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SPLITS } from "../data/classes.ts";
import { datasetFingerprint } from "../data/dataset_fingerprint.ts";
import { discoverDataset } from "../data/discover_dataset.ts";

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
  const listing = await discoverDataset(root, { classes });
  const files = SPLITS.flatMap((split) =>
    (listing.splits[split] ?? []).map((entry) => {
      let bytes: Uint8Array | null = null;
      try {
        // Synchronous reads of many small files are several times faster under Deno (see _load_files.ts).
        bytes = readFileSync(join(root, entry.relativePath));
      } catch { /* hashed as unreadable, as loadDataset does */ }
      return { relativePath: entry.relativePath, bytes };
    })
  );
  return datasetFingerprint(files, { classes, decode: REFERENCE_DECODE });
}
