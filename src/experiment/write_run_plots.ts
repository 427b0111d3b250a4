/**
 * Writes a run's plots: offline HTML always, PNG and SVG when Chromium is there.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { EpochLogs } from "../train/callback.ts";
import type { Figure } from "../viz/figures.ts";
import { runFigures } from "../viz/run_figures.ts";
import { saveFigureHtml, writePlotlyScript } from "../viz/save_figure_html.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import type { RunMetrics } from "./run_metrics.ts";
import { type RunHandle, runPath } from "./run_store.ts";

/**
 * Writes every figure of the run to plots/ as HTML, and as PNG and SVG when
 * `images` is true. A missing Chromium costs the images, not the run: it is
 * logged and the HTML plots remain.
 *
 * @param run The run.
 * @param facts Metrics, history, classes, synthetic flag, whether to render images, and a logger.
 * @returns The files written.
 * @example
 * ```ts
 * await writeRunPlots(run, { metrics, history, classes, synthetic: false, images: true, log: console.log });
 * ```
 */
export async function writeRunPlots(
  run: RunHandle,
  facts: { metrics: RunMetrics; history: readonly EpochLogs[]; classes: readonly string[]; synthetic: boolean; images: boolean; log: (line: string) => void },
): Promise<string[]> {
  const figures = runFigures(facts.metrics, facts.history, { title: run.id, synthetic: facts.synthetic });
  return await saveRunFigures(run, figures, facts);
}

/**
 * Saves named figures into a run's plots/ folder: offline HTML always (the
 * pages share one plotly.min.js in plots/, so share the folder), PNG and SVG
 * when `images` is set (a failed export is logged, the HTML stays).
 *
 * @param run The run.
 * @param figures Figures by file name (without extension).
 * @param options Whether to render images, and a logger.
 * @returns The files written.
 * @example
 * ```ts
 * await saveRunFigures(run, { diversity: figure }, { images: false, log: console.log });
 * ```
 */
export async function saveRunFigures(
  run: RunHandle,
  figures: Record<string, Figure>,
  options: { images: boolean; log: (line: string) => void },
): Promise<string[]> {
  const dir = runPath(run, "plots");
  // One plotly.js copy per run folder, shared by its pages (inlined in each, a tiny run took 36 MB).
  await mkdir(dir, { recursive: true });
  const plotlyScript = await writePlotlyScript(dir);
  const written: string[] = [];
  for (const [name, figure] of Object.entries(figures)) {
    const path = join(dir, `${name}.html`);
    await saveFigureHtml(figure, path, { title: `${run.id} ${name}`, plotlyScript });
    written.push(path);
  }
  if (!options.images) return written;
  try {
    written.push(...await exportFigureImages(Object.entries(figures).map(([name, figure]) => ({ figure, basePath: join(dir, name) }))));
  } catch (error) {
    options.log(`Plots: HTML written; PNG/SVG skipped: ${(error as Error).message}`);
  }
  return written;
}
