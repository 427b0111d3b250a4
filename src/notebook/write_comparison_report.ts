/**
 * The shareable comparison of every run: a table, the accuracy plot, and each
 * run's learning curves and confusion matrix, in one offline HTML file.
 *
 * @module
 */
import { compareRuns, type ComparisonRow } from "../experiment/compare_runs.ts";
import { comparisonTable } from "../experiment/comparison_table.ts";
import { compareDatasets } from "../experiment/compare_datasets.ts";
import { datasetComparisonTable } from "../experiment/dataset_comparison_table.ts";
import { ConfigError } from "../core/errors.ts";
import { loadRunResults } from "./load_run_results.ts";
import { runsComparisonFigure } from "../experiment/runs_comparison_figure.ts";
import { type ReportSection, writeReportHtml } from "../viz/write_report_html.ts";

/** Options of {@linkcode writeComparisonReport}. */
export interface ComparisonReportOptions {
  /** Destination `.html` file. */
  path: string;
  /** Page title. @default "FER Workbench: run comparison" */
  title?: string;
  /** Runs that get their own section (the newest with metrics). @default 12 */
  maxRuns?: number;
}

/**
 * Compares every run under `resultsRoot` and writes the report (see
 * `writeReportHtml`): the comparison table, validation and test accuracy
 * with 95% intervals, the runs per dataset when some run was evaluated on
 * another dataset (`fer eval`), then for each of the newest `maxRuns` runs with
 * metrics its learning curves and row-normalised confusion matrix (test, or
 * validation when there is no test split). With no runs the page says how to
 * make one.
 *
 * @param resultsRoot Results folder.
 * @param options See {@linkcode ComparisonReportOptions}.
 * @returns The comparison rows the report shows.
 * @throws {ConfigError} When `maxRuns` is not a whole number >= 0.
 * @example
 * ```ts
 * const rows = await writeComparisonReport("results", { path: "results/notebooks/report.html" });
 * ```
 */
export async function writeComparisonReport(resultsRoot: string, options: ComparisonReportOptions): Promise<ComparisonRow[]> {
  const maxRuns = options.maxRuns ?? 12;
  if (!Number.isInteger(maxRuns) || maxRuns < 0) {
    throw new ConfigError(`Report maxRuns ${maxRuns} is not a whole number >= 0; use e.g. 12`);
  }
  const rows = await compareRuns(resultsRoot);
  const scored = rows.filter((row) => row.valAccuracy !== null);
  const synthetic = rows.some((row) => row.synthetic);
  const sections: ReportSection[] = [{
    heading: "Runs",
    paragraphs: rows.length === 0
      ? [`No runs in ${resultsRoot} yet; make one with notebooks/02_cnns.ipynb or: deno task fer run experiments/small_cnn.json`]
      : [
        `${rows.length} run(s) in ${resultsRoot}, oldest first; ${scored.length} with metrics. ` +
        "Accuracy intervals are Wilson 95% intervals; ECE is the expected calibration error." +
        (synthetic ? " Rows marked SYNTHETIC were trained on generated faces and say nothing about real ones." : ""),
      ],
    tables: [comparisonTable(rows)],
  }];
  if (scored.length > 0) sections.push({ heading: "Accuracy with 95% intervals", figures: [runsComparisonFigure(rows)] });
  const datasets = await compareDatasets(resultsRoot, rows.map((row) => row.id));
  // Only worth a section when some run was evaluated elsewhere; else it repeats the table above.
  if (datasets.some((row) => !row.trained)) {
    sections.push({
      heading: "Per dataset",
      paragraphs: [
        "Each run on the dataset it was trained on and on every dataset `fer eval` evaluated it on, per split. " +
        "Leak-free figures leave out images with a copy in the run's training split; they are unknown on other datasets.",
      ],
      tables: [datasetComparisonTable(datasets)],
    });
  }
  for (const row of scored.slice(-maxRuns).reverse()) {
    const results = await loadRunResults(resultsRoot, row.id);
    const split = results.metrics.test ? "test" : "validation";
    const m = results.metrics[split]!;
    sections.push({
      heading: `${results.label}${results.metrics.synthetic ? " (SYNTHETIC data)" : ""}`,
      paragraphs: [
        `Run ${row.id}: ${row.model} on ${row.backend}, ${row.epochs} epoch(s), status ${row.status}. ` +
        `${split} accuracy ${m.accuracy.toFixed(3)} [${m.accuracyInterval.low.toFixed(3)}, ${m.accuracyInterval.high.toFixed(3)}], ` +
        `macro-F1 ${m.macroF1.toFixed(3)}.`,
      ],
      figures: [results.figures.learning_curves, results.figures[`confusion_${split}_normalized`]],
    });
  }
  await writeReportHtml(options.path, { title: options.title ?? "FER Workbench: run comparison", sections });
  return rows;
}
