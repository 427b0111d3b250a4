/**
 * Notebook helpers: display figures, tables and images in a Deno Jupyter
 * notebook (with offline fallbacks), live training progress, the notebook
 * parameters, and the scripts that execute the notebooks.
 *
 * The notebooks in notebooks/ call only these and the other areas' mod.ts.
 *
 * @module
 */
export { type DisplayTarget, jupyterDisplay, type MediaBundle, type NotebookDisplay } from "./jupyter_display.ts";
export { enablePlotly, type EnablePlotlyOptions, PLOTLY_QUEUE } from "./enable_plotly.ts";
export { embedPlotly } from "./embed_plotly.ts";
export { displayFigure, type DisplayFigureOptions } from "./display_figure.ts";
export { displayTable } from "./display_table.ts";
export { oneCycleTable } from "./one_cycle_table.ts";
export { displayImage, type DisplayImageOptions } from "./display_image.ts";
export { type GridRow, type GridTile, imageGrid, type ImageGridOptions } from "./image_grid.ts";
export { type ClassSampleOptions, classSampleRows } from "./class_sample_rows.ts";
export { meanFaceRow } from "./mean_face_row.ts";
export { trainingViewRows, type TrainingViewOptions } from "./training_view_rows.ts";
export { nearDuplicateRows, type NearDuplicateRowsOptions } from "./near_duplicate_rows.ts";
export { type DataReportTables, dataReportTables } from "./data_report_tables.ts";
export { type PredictionRecord, readPredictions } from "../experiment/read_predictions.ts";
export { type MisclassifiedGroup, selectMisclassified, type SelectMisclassifiedOptions } from "./select_misclassified.ts";
export { misclassifiedRows } from "./misclassified_rows.ts";
export { perClassErrorTable } from "./per_class_error_table.ts";
export { type NotebookParams, notebookParams } from "./notebook_params.ts";
export { notebookRunConfig, type NotebookRunConfigOptions, SMOKE_LIMITS } from "./notebook_run_config.ts";
export { NotebookProgress, notebookProgress, type NotebookProgressOptions } from "./notebook_progress.ts";
export { resumeInNotebook, runInNotebook, type RunInNotebookOptions } from "./run_in_notebook.ts";
export { loadRunResults, type RunResults } from "./load_run_results.ts";
export { runsComparisonFigure } from "../experiment/runs_comparison_figure.ts";
export { type ComparisonReportOptions, writeComparisonReport } from "./write_comparison_report.ts";
export { type NotebookRun, runNotebooks, type RunNotebooksOptions } from "./run_notebooks.ts";
