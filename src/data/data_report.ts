/**
 * Checks a dataset folder before training: counts, sizes, unreadable files,
 * exact and near duplicates, label conflicts, blank images, sharpness per split
 * and mean faces.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { pathExists } from "./path_exists.ts";
import { join } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { SPLITS, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
import { discoverDataset } from "./discover_dataset.ts";
import { findExactDuplicates } from "./_find_exact_duplicates.ts";
import { mapConcurrent } from "./_map_concurrent.ts";
import { findNearDuplicates } from "./_find_near_duplicates.ts";
import { type ImageScan, scanImage } from "./_scan_image.ts";
import { summariseSharpness } from "./_summarise_sharpness.ts";
import { writeDataReport } from "./_write_data_report.ts";
import type { DataReport } from "./_data_report_parts.ts";

export type {
  DataReport,
  ExactDuplicates,
  MeanFace,
  NearDuplicatePair,
  SharpnessSummary,
  SplitDuplicateStats,
} from "./_data_report_parts.ts";

/** Options for {@linkcode dataReport}. */
export interface DataReportOptions {
  /** Class names in label order. @default DEFAULT_CLASSES */
  classes?: readonly string[];
  /**
   * Largest Hamming distance (of 64 bits) between perceptual hashes reported
   * as a near duplicate across splits. pHash sets exactly 32 bits, so distances
   * are even. Measured on the real dataset (blurring the validation image of a
   * pair like train, then correlating pixels): the share of pairs that are the
   * same photo (correlation > 0.9) is 96-100 % at distances 0-4, 85 % at 6,
   * 29 % at 8 and 11 % at 10; unrelated faces sit around 20-32. @default 6
   */
  hammingThreshold?: number;
  /** Pixel standard deviation (gray levels) below which an image counts as blank. @default 2 */
  blankStdThreshold?: number;
  /** Standard deviation below which a non-blank image is listed as low contrast. @default 8 */
  lowContrastStdThreshold?: number;
  /** Expected side length; other sizes are listed, and resized for the other checks. @default 48 */
  size?: number;
  /** When set, report.json, report.md, counts.html and mean_faces.png are written here. */
  outDir?: string;
}

type Scanned = { path: string; split: SplitName; label: number; scan?: ImageScan; error?: string };

/**
 * Reads every image of a dataset root once and reports what should be known
 * before training on it. Unreadable files are listed, not fatal.
 *
 * @param root Dataset root laid out as `<split>/<class>/<image>`.
 * @param options See {@linkcode DataReportOptions}.
 * @returns The report.
 * @throws {ConfigError} When a threshold or the size is out of range.
 * @throws {DatasetError} When the root is missing or holds no image of the classes.
 * @example
 * ```ts
 * const report = await dataReport("../shared/data/facial_emotion_images");
 * console.assert(report.exactDuplicates.redundantCopies === 670);
 * ```
 */
export async function dataReport(root: string, options: DataReportOptions = {}): Promise<DataReport> {
  const settings = {
    size: options.size ?? 48,
    hammingThreshold: options.hammingThreshold ?? 6,
    blankStdThreshold: options.blankStdThreshold ?? 2,
    lowContrastStdThreshold: options.lowContrastStdThreshold ?? 8,
  };
  checkSettings(settings);
  const listing = await discoverDataset(root, { classes: options.classes });
  const classes = listing.classes;
  const splits = SPLITS.filter((split) => listing.splits[split] !== undefined);
  const entries = splits.flatMap((split) => listing.splits[split]!.map((entry) => ({ ...entry, split })));
  const meanSums = classes.map(() => new Float64Array(settings.size * settings.size));
  const meanCounts = classes.map(() => 0);
  const scanned: Scanned[] = await mapConcurrent(entries, async ({ relativePath, label, split }) => {
    const item: Scanned = { path: relativePath, split, label };
    try {
      item.scan = await scanImage(await readFile(join(root, relativePath)), settings.size);
    } catch (error) {
      item.error = error instanceof Error ? error.message : String(error);
      return item;
    }
    if (split === "train") {
      const sums = meanSums[label];
      item.scan.gray.forEach((value, i) => (sums[i] += value));
      meanCounts[label]++;
    }
    item.scan.gray = new Uint8Array(0); // keep memory flat over large datasets
    return item;
  });
  const readable = scanned.filter((item): item is Scanned & { scan: ImageScan } => item.scan !== undefined);
  const counts: DataReport["counts"] = {};
  for (const split of splits) counts[split] = Object.fromEntries(classes.map((name) => [name, 0]));
  for (const item of scanned) counts[item.split]![classes[item.label]]++;
  const { blankStdThreshold, lowContrastStdThreshold, size } = settings;
  return await finish({
    root,
    synthetic: await pathExists(join(root, SYNTHETIC_MARKER_FILE)),
    classes,
    splits,
    counts,
    total: scanned.length,
    settings,
    skippedClassFolders: listing.skippedClassFolders,
    skippedFiles: listing.skippedFiles,
    unreadable: scanned.filter((item) => item.error !== undefined).map(({ path, error }) => ({ path, reason: error! })),
    nonStandard: readable
      .filter(({ scan }) => scan.width !== size || scan.height !== size || scan.channels !== 1)
      .map(({ path, scan: { width, height, channels, format } }) => ({ path, width, height, channels, format })),
    blank: readable.filter(({ scan }) => scan.std < blankStdThreshold).map(({ path, scan }) => ({ path, std: scan.std })),
    lowContrast: readable
      .filter(({ scan }) => scan.std >= blankStdThreshold && scan.std < lowContrastStdThreshold)
      .map(({ path, scan }) => ({ path, std: scan.std })),
    exactDuplicates: findExactDuplicates(
      readable.map(({ path, split, label, scan }) => ({ path, split, className: classes[label], sha1: scan.sha1 })),
      splits,
    ),
    nearDuplicates: findNearDuplicates(
      readable.map(({ path, split, scan }) => ({ path, split, sha1: scan.sha1, hash: scan.hash })),
      settings.hammingThreshold,
    ),
    sharpness: summariseSharpness(readable.map(({ split, scan }) => ({ split, sharpness: scan.sharpness }))),
    meanFaces: classes.map((className, label) => ({
      className,
      images: meanCounts[label],
      pixels: Float32Array.from(meanSums[label], (sum) => (meanCounts[label] ? sum / meanCounts[label] : 0)),
    })),
  }, options.outDir);
}

function checkSettings(settings: DataReport["settings"]): void {
  const { hammingThreshold, blankStdThreshold, lowContrastStdThreshold, size } = settings;
  const fail = (field: string, value: number, allowed: string) => {
    throw new ConfigError(`Data report option ${field} is ${value}; allowed: ${allowed}`);
  };
  if (!Number.isInteger(hammingThreshold) || hammingThreshold < 0 || hammingThreshold > 64) {
    fail("hammingThreshold", hammingThreshold, "a whole number of bits from 0 to 64, e.g. 6");
  }
  if (!(blankStdThreshold >= 0)) fail("blankStdThreshold", blankStdThreshold, "a gray-level deviation >= 0, e.g. 2");
  if (!(lowContrastStdThreshold >= 0)) fail("lowContrastStdThreshold", lowContrastStdThreshold, "a gray-level deviation >= 0, e.g. 8");
  if (!Number.isInteger(size) || size < 8) fail("size", size, "a whole number of pixels >= 8, e.g. 48");
}

async function finish(report: DataReport, outDir: string | undefined): Promise<DataReport> {
  if (outDir !== undefined) await writeDataReport(report, outDir);
  return report;
}
