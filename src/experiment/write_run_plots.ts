/**
 * Writes a run's plots: offline HTML always, PNG and SVG when Chromium is there.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { EpochLogs } from "../train/callback.ts";
import type { Figure } from "../viz/figures.ts";
import { confusionMatrixFigure, learningCurvesFigure, perClassFigure } from "../viz/run_figures.ts";
import { saveFigureHtml, writePlotlyScript } from "../viz/save_figure_html.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import type { RunMetrics } from "./run_metrics.ts";
import { type RunHandle, runPath } from "./run_store.ts";

/**
 * Builds the run's figures, keyed by file name (without extension).
 *
 * @param metrics The run's metrics.
 * @param history Its epochs.
 * @param options Title prefix and synthetic flag.
 * @returns Figures: confusion matrices per split (counts and normalised), learning curves, per-class scores.
 * @example
 * ```ts
 * const figures = runFigures(metrics, history, { title: run.id });
 * console.assert("learning_curves" in figures);
 * ```
 */
export function runFigures(
  metrics: RunMetrics,
  history: readonly EpochLogs[],
  options: { title?: string; synthetic?: boolean } = {},
): Record<string, Figure> {
  const figures: Record<string, Figure> = { learning_curves: learningCurvesFigure(history, options) };
  for (const split of ["validation", "test"] as const) {
    const m = metrics[split];
    if (!m) continue;
    // The title carries the split's accuracy and, beside it, the leak-free figure, so a shared plot says both.
    const leakFree = m.leakFree ? `, leak-free ${m.leakFree.accuracy.toFixed(3)} (n=${m.leakFree.count})` : "";
    const title = `${options.title ? `${options.title} ` : ""}${split} (accuracy ${m.accuracy.toFixed(3)}, n=${m.count}${leakFree})`;
    figures[`confusion_${split}`] = confusionMatrixFigure(m.confusion, metrics.classes, { ...options, title });
    figures[`confusion_${split}_normalized`] = confusionMatrixFigure(m.confusion, metrics.classes, { ...options, title, normalized: true });
    figures[`per_class_${split}`] = perClassFigure(m.perClass, { ...options, title });
  }
  return figures;
}

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
