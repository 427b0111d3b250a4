/**
 * What a data report holds (`DataReport`) and its parts: duplicate,
 * near-duplicate, sharpness and mean-face results. Here, apart from
 * data_report.ts, so the helpers that fill the parts and the formatter need
 * not import the function that calls them; data_report.ts re-exports them.
 *
 * @module
 */
import type { SplitName } from "./classes.ts";

/** Exact-duplicate statistics of one split. */
export interface SplitDuplicateStats {
  /** Groups of two or more identical files. */
  groups: number;
  /** Files in those groups. */
  files: number;
  /** Files in groups minus groups: what deduplication would remove. */
  redundantCopies: number;
}

/** Byte-identical files (same SHA-1). */
export interface ExactDuplicates {
  /** Per split present. */
  withinSplit: Partial<Record<SplitName, SplitDuplicateStats>>;
  /** Every within-split group, paths sorted. */
  groups: { split: SplitName; paths: string[] }[];
  /** Sum of redundant copies over splits. */
  redundantCopies: number;
  /** Groups whose files lie in more than one split. */
  acrossSplits: string[][];
  /** Groups whose files carry different class labels (the same image under two labels). */
  crossLabel: string[][];
}

/** Two images in different splits with close perceptual hashes. */
export interface NearDuplicatePair {
  /** Path in the earlier split (train before validation before test). */
  a: string;
  /** Path in the later split. */
  b: string;
  /** Hamming distance of the two 64-bit hashes. */
  distance: number;
}

/** Sharpness (mean absolute difference of adjacent pixels) per split. */
export interface SharpnessSummary {
  perSplit: Partial<Record<SplitName, { mean: number; median: number }>>;
  /** Largest over smallest split median. */
  ratio: number;
  /** True when `ratio` exceeds 1.5: the splits were processed differently (blur, compression). */
  shifted: boolean;
}

/** Mean face of one class over the train split. */
export interface MeanFace {
  className: string;
  /** Readable train images averaged. */
  images: number;
  /** `size x size` mean gray values, row-major (all 0 when `images` is 0). */
  pixels: Float32Array;
}

/** Everything `dataReport` (data_report.ts) finds. Paths are relative to the root. */
export interface DataReport {
  root: string;
  /** The root holds the synthetic marker file (`SYNTHETIC_MARKER_FILE`, classes.ts). */
  synthetic: boolean;
  classes: string[];
  /** Splits present, in report order. */
  splits: SplitName[];
  /** Files per split and class (readable or not). */
  counts: Partial<Record<SplitName, Record<string, number>>>;
  total: number;
  settings: { size: number; hammingThreshold: number; blankStdThreshold: number; lowContrastStdThreshold: number };
  skippedClassFolders: { path: string; files: number }[];
  skippedFiles: string[];
  unreadable: { path: string; reason: string }[];
  /** Images not `size x size` or not one-channel grayscale. */
  nonStandard: { path: string; width: number; height: number; channels: number; format: string }[];
  blank: { path: string; std: number }[];
  lowContrast: { path: string; std: number }[];
  exactDuplicates: ExactDuplicates;
  nearDuplicates: NearDuplicatePair[];
  sharpness: SharpnessSummary;
  meanFaces: MeanFace[];
}
