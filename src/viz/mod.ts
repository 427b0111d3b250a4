/**
 * Figures: plotly.js specs for data and runs, and their exporters
 * (self-contained offline HTML; PNG and SVG through headless Chromium).
 *
 * @module
 */
export { type CountsBarOptions, countsBarFigure, type Figure } from "./figures.ts";
export {
  type ComparedRun,
  comparisonFigure,
  confusionMatrixFigure,
  type CurvePoint,
  learningCurvesFigure,
  perClassFigure,
  type RunFigureOptions,
} from "./run_figures.ts";
export { PLOTLY_SCRIPT_FILE, saveFigureHtml, writePlotlyScript } from "./save_figure_html.ts";
export { DEFAULT_CHROMIUM, type ExportImageOptions, exportFigureImages, type FigureImageJob } from "./export_figure_images.ts";
export { plotlyScriptPath } from "./plotly_script_path.ts";
