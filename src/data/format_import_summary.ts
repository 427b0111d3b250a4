/**
 * Renders an {@linkcode ImportSummary} as readable text.
 *
 * @module
 */
import { SPLITS } from "./classes.ts";
import type { ImportSummary } from "./import_dataset.ts";
import { tableMarkdown } from "../viz/table_markdown.ts";

/**
 * Formats an import summary: a table of images per split and class, then one
 * line per kind of skipped item, listing up to `maxListed` of each.
 *
 * @param summary The summary from `importDataset`.
 * @param options `maxListed`: longest list printed per kind. @default 10
 * @returns Text ending in a newline.
 * @example
 * ```ts
 * const text = formatImportSummary(await importDataset("faces.zip", { out: "data/faces" }));
 * console.assert(text.startsWith("Imported"));
 * ```
 */
export function formatImportSummary(summary: ImportSummary, options: { maxListed?: number } = {}): string {
  const max = options.maxListed ?? 10;
  const { classes, counts } = summary;
  const splits = SPLITS.filter((split) => Object.values(counts[split]).some((n) => n > 0));
  const lines = [
    `Imported ${summary.total} ${summary.synthetic ? "SYNTHETIC " : ""}images from ${summary.source} (${summary.kind}) into ${summary.out}` +
      (summary.prefix ? `, stripping the wrapping folder ${summary.prefix}` : ""),
    "",
    tableMarkdown({
      headers: ["split", ...classes, "total"],
      cells: splits.map((split) => {
        const row = classes.map((name) => counts[split][name] ?? 0);
        return [split, ...row.map(String), String(row.reduce((a, b) => a + b, 0))];
      }),
    }, { pad: true, align: ["left", "right"] }),
    "",
  ];
  const skippedClasses = Object.entries(summary.skippedClasses);
  if (skippedClasses.length) {
    lines.push(`Skipped classes (not kept): ${skippedClasses.map(([name, n]) => `${name} ${n}`).join(", ")}`);
  }
  if (summary.junk) lines.push(`Ignored ${summary.junk} system files (__MACOSX, .DS_Store, ...)`);
  const list = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`, ...items.slice(0, max).map((item) => `  ${item}`));
    if (items.length > max) lines.push(`  ... and ${items.length - max} more`);
  };
  list("Skipped entries", summary.skippedEntries.map(({ path, reason }) => `${path}: ${reason}`));
  list("Malformed rows", summary.malformedRows.map(({ line, reason }) => `line ${line}: ${reason}`));
  return lines.join("\n") + "\n";
}
