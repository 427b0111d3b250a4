/**
 * A data report's findings as tables for the notebook: counts, duplicates,
 * near-duplicate leakage across splits, and sharpness per split.
 *
 * @module
 */
import type { DataReport } from "../data/data_report.ts";
import type { Table } from "../viz/table.ts";

/** The tables of {@linkcode dataReportTables}. */
export interface DataReportTables {
  /** Images per split (rows) and class (columns), with totals. */
  counts: Table;
  /** Blank, low-contrast and exact-duplicate findings. */
  duplicates: Table;
  /** Per split pair: near-duplicate pairs and the later split's images that have a near copy in the earlier one. */
  leakage: Table;
  /** Mean and median sharpness per split, and the ratio of the extreme medians. */
  sharpness: Table;
}

/**
 * Turns a report into four tables (see {@linkcode DataReportTables}).
 *
 * @param report A report from `dataReport`.
 * @returns The tables.
 * @example
 * ```ts
 * const { counts } = dataReportTables(report);
 * console.assert(counts.headers[0] === "split");
 * ```
 */
export function dataReportTables(report: DataReport): DataReportTables {
  const { classes, splits, counts, exactDuplicates: exact, settings } = report;
  const splitTotal = (split: (typeof splits)[number]) => classes.reduce((n, name) => n + (counts[split]?.[name] ?? 0), 0);
  const later = splits.flatMap((a, i) => splits.slice(i + 1).map((b) => [a, b] as const));
  return {
    counts: {
      caption: `Images per split and class${report.synthetic ? " (SYNTHETIC dataset)" : ""}`,
      headers: ["split", ...classes, "total"],
      cells: [
        ...splits.map((split) => [split, ...classes.map((name) => counts[split]?.[name] ?? 0), splitTotal(split)]),
        ["total", ...classes.map((name) => splits.reduce((n, s) => n + (counts[s]?.[name] ?? 0), 0)), report.total],
      ],
    },
    duplicates: {
      caption: "Blank images and exact duplicates",
      headers: ["check", "count"],
      cells: [
        ["unreadable files", report.unreadable.length],
        [`blank (pixel std < ${settings.blankStdThreshold})`, report.blank.length],
        [`low contrast (std < ${settings.lowContrastStdThreshold})`, report.lowContrast.length],
        ...splits.map((split) => [`redundant exact copies within ${split}`, exact.withinSplit[split]?.redundantCopies ?? 0]),
        ["exact copies across splits (groups)", exact.acrossSplits.length],
        ["same image under two labels (groups)", exact.crossLabel.length],
      ],
    },
    leakage: {
      caption: `Near duplicates across splits (perceptual hash distance <= ${settings.hammingThreshold} of 64 bits)`,
      headers: ["splits", "pairs", "images of the later split with a near copy", "share of the later split"],
      cells: later.map(([a, b]) => {
        const pairs = report.nearDuplicates.filter((p) => p.a.startsWith(`${a}/`) && p.b.startsWith(`${b}/`));
        const copied = new Set(pairs.map((p) => p.b)).size;
        const total = splitTotal(b);
        return [`${a} - ${b}`, pairs.length, copied, total === 0 ? "" : `${((100 * copied) / total).toFixed(1)} %`];
      }),
    },
    sharpness: {
      caption: "Sharpness: mean absolute difference of adjacent pixels (gray levels)",
      headers: ["split", "mean", "median"],
      decimals: [null, 2, 2],
      cells: [
        ...splits.map((split) => {
          const s = report.sharpness.perSplit[split];
          return [split, s ? s.mean : null, s ? s.median : null];
        }),
        [
          `largest / smallest median${report.sharpness.shifted ? " (shifted: splits processed differently)" : ""}`,
          null,
          report.sharpness.ratio,
        ],
      ],
    },
  };
}
