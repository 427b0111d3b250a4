/**
 * Groups byte-identical files of a dataset by their SHA-1.
 *
 * @module
 */
import type { SplitName } from "./classes.ts";
import type { ExactDuplicates } from "./_data_report_parts.ts";

/** One file's identity, as the duplicate search needs it. */
export interface HashedFile {
  path: string;
  split: SplitName;
  className: string;
  sha1: string;
}

/**
 * Finds exact duplicates: groups of two or more files with the same bytes
 * inside one split (with the number of redundant copies, files in groups minus
 * groups), groups that span splits, and groups whose files carry different
 * class labels. Paths inside a group are sorted; groups are sorted by first path.
 *
 * @param files Every readable file.
 * @param splits The splits present, in report order.
 * @returns The duplicate summary.
 * @example
 * ```ts
 * const result = findExactDuplicates([
 *   { path: "train/happy/a.jpg", split: "train", className: "happy", sha1: "x" },
 *   { path: "train/sad/b.jpg", split: "train", className: "sad", sha1: "x" },
 * ], ["train"]);
 * console.assert(result.withinSplit.train?.redundantCopies === 1 && result.crossLabel.length === 1);
 * ```
 */
export function findExactDuplicates(files: readonly HashedFile[], splits: readonly SplitName[]): ExactDuplicates {
  const bySha = new Map<string, HashedFile[]>();
  for (const file of files) {
    const group = bySha.get(file.sha1);
    if (group) group.push(file);
    else bySha.set(file.sha1, [file]);
  }
  const result: ExactDuplicates = { withinSplit: {}, groups: [], redundantCopies: 0, acrossSplits: [], crossLabel: [] };
  for (const split of splits) result.withinSplit[split] = { groups: 0, files: 0, redundantCopies: 0 };
  for (const group of bySha.values()) {
    if (group.length < 2) continue;
    for (const split of splits) {
      const members = group.filter((file) => file.split === split);
      if (members.length < 2) continue;
      const stats = result.withinSplit[split]!;
      stats.groups++;
      stats.files += members.length;
      stats.redundantCopies += members.length - 1;
      result.redundantCopies += members.length - 1;
      result.groups.push({ split, paths: sortedPaths(members) });
    }
    if (new Set(group.map((file) => file.split)).size > 1) result.acrossSplits.push(sortedPaths(group));
    if (new Set(group.map((file) => file.className)).size > 1) result.crossLabel.push(sortedPaths(group));
  }
  const byFirstPath = (a: string[], b: string[]) => compare(a[0], b[0]);
  result.groups.sort((a, b) => byFirstPath(a.paths, b.paths));
  result.acrossSplits.sort(byFirstPath);
  result.crossLabel.sort(byFirstPath);
  return result;
}

function sortedPaths(files: readonly HashedFile[]): string[] {
  return files.map((file) => file.path).sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
