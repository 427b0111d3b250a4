/**
 * Writes what a sweep found into its folder: summary.csv, summary.md (with
 * each setting against the best image by image, paired_to_best.ts), best.json,
 * the comparison of its runs (comparison.csv, comparison.md) and the figures
 * (HTML, and PNG/SVG when Chromium is there).
 *
 * @module
 */
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { compareRuns } from "../experiment/compare_runs.ts";
import { comparisonTable } from "../experiment/comparison_table.ts";
import { tableCsv } from "../viz/table_csv.ts";
import { tableMarkdown } from "../viz/table_markdown.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import type { Figure } from "../viz/figures.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";
import { describeParams } from "./expand_trials.ts";
import { summaryCsv, summaryLines, type SweepSummary } from "./summarize_sweep.ts";
import { metricByParameterFigure, parallelCoordinatesFigure } from "../viz/sweep_figures.ts";
import { SWEEP_FILES, type TrialRecord } from "./sweep_folder.ts";
import { type PairedToBest, pairedToBest, pairedToBestLines } from "./paired_to_best.ts";

/** Options of {@linkcode writeSweepReport}. */
export interface SweepReportOptions {
  /** Results root holding the trials' runs. */
  resultsRoot: string;
  /** Also render PNG/SVG (needs Chromium). @default true */
  imagePlots?: boolean;
  /** Where a skipped PNG/SVG export, or a pair of runs that cannot be compared, is reported. */
  log?: (line: string) => void;
}

/** What {@linkcode writeSweepReport} wrote, and the settings against the best image by image (for the terminal too). */
export interface SweepReport {
  written: string[];
  paired: PairedToBest[];
}

/**
 * Writes the sweep's report files.
 *
 * @param dir The sweep folder.
 * @param records Its trial records.
 * @param summary From `summarizeSweep(records)`.
 * @param options See {@linkcode SweepReportOptions}.
 * @returns The paths written and the image-by-image comparisons with the best setting.
 * @example
 * ```ts
 * await writeSweepReport(outcome.folder.dir, [...outcome.folder.records.values()], outcome.summary, { resultsRoot });
 * ```
 */
export async function writeSweepReport(
  dir: string,
  records: readonly TrialRecord[],
  summary: SweepSummary,
  options: SweepReportOptions,
): Promise<SweepReport> {
  const written: string[] = [];
  const paired = await pairedToBest(options.resultsRoot, records, summary, { log: options.log });
  const pairedLines = pairedToBestLines(paired, summary);
  const write = async (name: string, text: string) => {
    await atomicWrite(join(dir, name), text);
    written.push(join(dir, name));
  };
  await write(SWEEP_FILES.summaryCsv, summaryCsv(summary));
  await write(
    SWEEP_FILES.summaryMarkdown,
    `# Sweep ${dir.split("/").pop()}\n\nMean ± SD across seeds; the best setting is chosen on validation only, test is reported beside it.\n` +
      `A gap to the best is the paired-by-seed difference of validation accuracy with its 95% t interval; ` +
      `"within noise" means the interval contains 0; below 3 shared seeds there is no verdict.\n\n${summaryLines(summary).map((l) => `- ${l}`).join("\n")}\n` +
      (pairedLines.length === 0 ? "" : `\n${pairedLines[0]}\n\n${pairedLines.slice(1).map((l) => `- ${l.trim()}`).join("\n")}\n`),
  );
  const best = summary.best;
  await write(
    SWEEP_FILES.best,
    JSON.stringify(
      best
        ? {
          setting: best.setting,
          params: best.params,
          description: describeParams(best.params),
          chosenOn: "validation accuracy, mean across seeds",
          valAccuracy: best.valAccuracy,
          valMacroF1: best.valMacroF1,
          valEce: best.valEce,
          testAccuracy: best.testAccuracy,
          runs: records.filter((r) => r.setting === best.setting && r.status === "completed").map((r) => ({ seed: r.seed, runId: r.runId })),
        }
        : null,
      null,
      2,
    ) + "\n",
  );
  const runIds = records.filter((r) => r.status === "completed" && r.runId).map((r) => r.runId!);
  if (runIds.length > 0) {
    const rows = await compareRuns(options.resultsRoot, runIds);
    const table = comparisonTable(rows);
    await write("comparison.csv", tableCsv(table));
    await write("comparison.md", tableMarkdown(table) + "\n");
  }
  if (!best) return { written, paired };
  const figures: { figure: Figure; basePath: string }[] = [
    { figure: parallelCoordinatesFigure(records), basePath: join(dir, SWEEP_FILES.plots, "parallel_coordinates") },
  ];
  for (const path of [...new Set(records.flatMap((r) => Object.keys(r.params)))]) {
    figures.push({ figure: metricByParameterFigure(records, summary, path), basePath: join(dir, SWEEP_FILES.plots, `val_accuracy_by_${path.replace(/[^A-Za-z0-9_]+/g, "_")}`) });
  }
  for (const { figure, basePath } of figures) {
    await saveFigureHtml(figure, `${basePath}.html`);
    written.push(`${basePath}.html`);
  }
  if (options.imagePlots !== false) {
    try {
      written.push(...await exportFigureImages(figures));
    } catch (error) {
      options.log?.(`PNG/SVG skipped: ${(error as Error).message}`);
    }
  }
  return { written, paired };
}
