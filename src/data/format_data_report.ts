/**
 * Renders a {@linkcode DataReport} as readable Markdown.
 *
 * @module
 */
import type { DataReport } from "./_data_report_parts.ts";
import { tableMarkdown } from "../viz/table_markdown.ts";

/** Options for {@linkcode formatDataReport}. */
export interface FormatDataReportOptions {
  /** Add the lists of files behind each check (report.md); off gives the terminal summary. @default false */
  details?: boolean;
  /** Longest list printed per check; the rest is counted (report.json has everything). @default 50 */
  maxListed?: number;
}

/**
 * Formats the report: counts per split and class, one row per check with its
 * count, sharpness per split, and with `details` the files behind each check
 * and the mean-face strip.
 *
 * @param report The report from `dataReport`.
 * @param options See {@linkcode FormatDataReportOptions}.
 * @returns Markdown text ending in a newline.
 * @example
 * ```ts
 * const text = formatDataReport(await dataReport("data/synthetic"));
 * console.assert(text.includes("| split"));
 * ```
 */
export function formatDataReport(report: DataReport, options: FormatDataReportOptions = {}): string {
  const max = options.maxListed ?? 50;
  const { classes, splits, counts, exactDuplicates: exact, settings } = report;
  const out: string[] = [`# Data report: ${report.root}`, ""];
  if (report.synthetic) out.push("**Synthetic dataset** (generated faces, not real data).", "");
  out.push("## Images per split and class", "");
  const totals = classes.map((name) => splits.reduce((n, split) => n + (counts[split]?.[name] ?? 0), 0));
  // Padded and right-aligned, so the raw markdown reads as a table in a terminal too.
  const padded = { pad: true, align: ["left", "right"] } as const;
  out.push(tableMarkdown({ headers: ["split", ...classes, "total"], cells: [
    ...splits.map((split) => {
      const row = classes.map((name) => counts[split]?.[name] ?? 0);
      return [split, ...row.map(String), String(row.reduce((a, b) => a + b, 0))];
    }),
    ["total", ...totals.map(String), String(report.total)],
  ] }, padded), "");
  const splitPair = (pair: string) =>
    report.nearDuplicates.filter(({ a, b }) => `${a.split("/")[0]}-${b.split("/")[0]}` === pair).length;
  const withinCounts = splits.map((s) => `${s} ${exact.withinSplit[s]?.redundantCopies ?? 0}`).join(", ");
  out.push("## Checks", "", tableMarkdown({ headers: ["check", "count"], cells: [
    ["unreadable files", String(report.unreadable.length)],
    [`not ${settings.size}x${settings.size} one-channel grayscale`, String(report.nonStandard.length)],
    [`blank (pixel std < ${settings.blankStdThreshold})`, String(report.blank.length)],
    [`low contrast (std < ${settings.lowContrastStdThreshold})`, String(report.lowContrast.length)],
    [`exact duplicates within splits: redundant copies (${withinCounts})`, String(exact.redundantCopies)],
    ["exact duplicates across splits: groups", String(exact.acrossSplits.length)],
    ["same image under two labels: groups", String(exact.crossLabel.length)],
    ...["train-validation", "train-test", "validation-test"].map((pair) => [
      `near duplicates ${pair} (pHash distance <= ${settings.hammingThreshold})`,
      String(splitPair(pair)),
    ]),
    ...splits.filter((split) => split !== "train").map((split) => [
      `${split} images with an exact or near copy in train (left out of the leak-free figures)`,
      `${leakedFromTrain(report, split)} of ${Object.values(counts[split] ?? {}).reduce((x, y) => x + y, 0)}`,
    ]),
    ["skipped class folders / other files", `${report.skippedClassFolders.length} / ${report.skippedFiles.length}`],
  ] }, padded), "");
  out.push("## Sharpness per split", "", "Mean absolute difference of adjacent pixels, in gray levels.", "");
  out.push(tableMarkdown({
    headers: ["split", "mean", "median"],
    cells: splits.map((split) => {
      const s = report.sharpness.perSplit[split];
      return [split, s ? s.mean.toFixed(2) : "-", s ? s.median.toFixed(2) : "-"];
    }),
  }, padded), "");
  if (report.sharpness.shifted) {
    out.push(
      `**Warning:** split medians differ by a factor of ${report.sharpness.ratio.toFixed(1)}; ` +
        "the splits look processed differently (blur, recompression), so validation scores may not carry over.",
      "",
    );
  }
  if (options.details) out.push(...details(report, max));
  return out.join("\n");
}

function details(report: DataReport, max: number): string[] {
  const out: string[] = [];
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`## ${title} (${items.length})`, "", ...items.slice(0, max).map((item) => `- ${item}`));
    if (items.length > max) out.push(`- ... ${items.length - max} more in report.json`);
    out.push("");
  };
  const exact = report.exactDuplicates;
  list("Unreadable files", report.unreadable.map(({ path, reason }) => `${path}: ${reason}`));
  list("Not standard size or mode", report.nonStandard.map((i) => `${i.path}: ${i.width}x${i.height}, ${i.channels} channel(s), ${i.format}`));
  list("Blank images", report.blank.map(({ path, std }) => `${path} (std ${std.toFixed(2)})`));
  list("Low-contrast images", report.lowContrast.map(({ path, std }) => `${path} (std ${std.toFixed(2)})`));
  list("Same image under two labels", exact.crossLabel.map((group) => group.join(" = ")));
  list("Exact duplicates across splits", exact.acrossSplits.map((group) => group.join(" = ")));
  list("Near duplicates across splits", report.nearDuplicates.map(({ a, b, distance }) => `${a} ~ ${b} (distance ${distance})`));
  list("Exact duplicates within splits", exact.groups.map(({ paths }) => paths.join(" = ")));
  out.push("## Mean faces (train)", "", `Left to right: ${report.meanFaces.map((f) => `${f.className} (${f.images} images)`).join(", ")}.`);
  out.push("", "![mean faces per class](mean_faces.png)", "");
  return out;
}

/** Images of `split` that share a group of exact copies, or a near-duplicate pair, with a train image. */
function leakedFromTrain(report: DataReport, split: string): number {
  const inSplit = (path: string) => path.startsWith(`${split}/`);
  const leaked = new Set<string>();
  for (const group of report.exactDuplicates.acrossSplits) {
    if (group.some((path) => path.startsWith("train/"))) group.filter(inSplit).forEach((path) => leaked.add(path));
  }
  for (const { a, b } of report.nearDuplicates) {
    if (a.startsWith("train/") && inSplit(b)) leaked.add(b);
  }
  return leaked.size;
}
