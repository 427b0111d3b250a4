/**
 * What a dataset load skipped, said out loud, and the check that every
 * configured class has images: a run never drops data or trains on a
 * missing class without a word.
 *
 * @module
 */
import { DatasetError } from "../core/errors.ts";
import type { ImageSet } from "./image_set.ts";
import type { UnreadableImage } from "./dataset_cache.ts";

/** What a load skipped (the `problems` field of a loaded dataset). */
export interface DatasetProblems {
  unreadable: UnreadableImage[];
  skippedClassFolders: { path: string; files: number }[];
  skippedFiles: string[];
}

/** Counts and a few examples of what was skipped, for the manifest. */
export interface DatasetProblemSummary {
  /** Image files that could not be read or decoded (corrupt, zero bytes). */
  unreadable: number;
  /** Folders under a split whose name is not a configured class (`train/hapy`), and the files in them. */
  skippedClassFolders: number;
  skippedClassFolderFiles: number;
  /** Files in class folders that are not images by extension. */
  skippedFiles: number;
  /** Up to `examples` paths with the reason, for a first look. */
  examples: string[];
}

/**
 * Summarises what was skipped and writes the lines to show the user.
 *
 * @param problems From the loaded dataset.
 * @param options `examples`: how many paths to show. @default 5
 * @returns The summary (for the manifest) and the lines (empty when nothing was skipped).
 * @example
 * ```ts
 * const { summary, lines } = describeDatasetProblems({ unreadable: [{ path: "train/happy/x.jpg", reason: "zero bytes" }], skippedClassFolders: [], skippedFiles: [] });
 * console.assert(summary.unreadable === 1 && lines[0].startsWith("WARNING: skipped 1 file"));
 * ```
 */
export function describeDatasetProblems(
  problems: DatasetProblems,
  options: { examples?: number } = {},
): { summary: DatasetProblemSummary; lines: string[] } {
  const all = [
    ...problems.unreadable.map((u) => `${u.path}: unreadable (${u.reason})`),
    ...problems.skippedClassFolders.map((f) => `${f.path}/: not a configured class (${f.files} files)`),
    ...problems.skippedFiles.map((p) => `${p}: not an image file`),
  ];
  const folderFiles = problems.skippedClassFolders.reduce((sum, f) => sum + f.files, 0);
  const summary: DatasetProblemSummary = {
    unreadable: problems.unreadable.length,
    skippedClassFolders: problems.skippedClassFolders.length,
    skippedClassFolderFiles: folderFiles,
    skippedFiles: problems.skippedFiles.length,
    examples: all.slice(0, options.examples ?? 5),
  };
  if (all.length === 0) return { summary, lines: [] };
  const total = summary.unreadable + folderFiles + summary.skippedFiles;
  const parts = [
    summary.unreadable > 0 ? `${summary.unreadable} unreadable image(s)` : "",
    summary.skippedClassFolders > 0 ? `${folderFiles} file(s) in ${summary.skippedClassFolders} folder(s) that are not configured classes` : "",
    summary.skippedFiles > 0 ? `${summary.skippedFiles} non-image file(s)` : "",
  ].filter((p) => p !== "");
  return {
    summary,
    lines: [
      `WARNING: skipped ${total} file(s): ${parts.join(", ")}`,
      ...summary.examples.map((e) => `  ${e}`),
      ...(all.length > summary.examples.length ? [`  ... and ${all.length - summary.examples.length} more`] : []),
    ],
  };
}

/**
 * Checks that every configured class has at least one image in each split
 * given: a class with no images cannot be learnt, and would still count in
 * macro-F1.
 *
 * @param splits The splits to check (absent ones are skipped).
 * @param options The `classes` in label order, the dataset `root` for the message.
 * @throws {DatasetError} Naming the split, the empty classes, the counts found and the fix.
 * @example
 * ```ts
 * checkClassCoverage({ train: dataset.splits.train }, { classes: ["happy", "sad"], root: "data/x" });
 * ```
 */
export function checkClassCoverage(
  splits: Readonly<Record<string, ImageSet | undefined>>,
  options: { classes: readonly string[]; root: string },
): void {
  for (const [name, set] of Object.entries(splits)) {
    if (set === undefined) continue;
    const counts = options.classes.map(() => 0);
    for (const label of set.labels) counts[label]++;
    const empty = options.classes.filter((_, i) => counts[i] === 0);
    if (empty.length === 0) continue;
    const found = options.classes.map((c, i) => `${c} ${counts[i]}`).join(", ");
    throw new DatasetError(
      `Class${empty.length > 1 ? "es" : ""} ${empty.map((c) => `"${c}"`).join(", ")} ha${empty.length > 1 ? "ve" : "s"} no images in the ${name} split of ${options.root} ` +
        `(found: ${found}); add images under ${name}/${empty[0]}/ (check the folder's spelling) or remove ${empty.length > 1 ? "them" : "it"} from dataset.classes`,
    );
  }
}
