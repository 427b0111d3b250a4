/**
 * The presentation layer: tables (HTML, plain text, markdown, CSV), plotly
 * figure specs, and the pages and files they are written to (self-contained
 * offline HTML pages and reports; PNG and SVG through headless Chromium).
 * Every area hands plain data to viz; viz imports no area above it.
 *
 * @module
 */
export type { Table } from "./table.ts";
export { tableHtml } from "./table_html.ts";
export { tableText, type TableTextOptions } from "./table_text.ts";
export { tableMarkdown, type TableMarkdownOptions } from "./table_markdown.ts";
export { tableCsv } from "./table_csv.ts";
export { escapeHtml } from "./escape_html.ts";
export { scriptJson } from "./script_json.ts";
export { toBase64 } from "./to_base64.ts";
export { inlineScript } from "./inline_script.ts";
export { type HtmlPage, htmlPage } from "./html_page.ts";
export { type Report, type ReportSection, writeReportHtml } from "./write_report_html.ts";
export { type CountsBarOptions, countsBarFigure, type Figure } from "./figures.ts";
export {
  type ComparedRun,
  comparisonFigure,
  confusionMatrixFigure,
  type CurvePoint,
  learningCurvesFigure,
  perClassFigure,
  type RunFigureOptions,
  runFigures,
  type RunFiguresData,
  type SplitFigureData,
} from "./run_figures.ts";
export { metricByParameterFigure, parallelCoordinatesFigure, type SweepSettingsSummary, type SweepTrial } from "./sweep_figures.ts";
export { type PixelHistogram, pixelHistogram, pixelHistogramFigure } from "./pixel_histogram_figure.ts";
export { type LrRangeCurvePoint, lrRangeFigure, type LrRangeFigureData } from "./lr_range_figure.ts";
export { type FairnessFigureData, fairnessFigures } from "./fairness_figures.ts";
export {
  robustnessComparisonFigure,
  robustnessCurvesFigure,
  robustnessDropFigure,
  type RobustnessFigureData,
  robustnessFigures,
  robustnessHeatmapFigure,
} from "./robustness_figures.ts";
export { type LabelRow, labelRowsFigure, timelineFigure, type TimelineTrack } from "./timeline_figure.ts";
export { type DiversityFigureData, diversityFigure } from "./diversity_figure.ts";
export { intervalText } from "./interval_text.ts";
export { PLOTLY_SCRIPT_FILE, saveFigureHtml, type SaveFigureHtmlOptions, writePlotlyScript } from "./save_figure_html.ts";
export { DEFAULT_CHROMIUM, type ExportImageOptions, exportFigureImages, type FigureImageJob } from "./export_figure_images.ts";
export { plotlyScriptPath } from "./plotly_script_path.ts";
