/**
 * Shows plotly figures in a notebook, with fallbacks for every viewer.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import type { Figure } from "../viz/figures.ts";
import { figureBundle } from "./_figure_bundle.ts";
import { jupyterDisplay, type NotebookDisplay } from "./jupyter_display.ts";

/** Options of {@linkcode displayFigure}. */
export interface DisplayFigureOptions {
  /** Where the bundles go. @default jupyterDisplay() */
  display?: NotebookDisplay;
  /**
   * Add a PNG rendered by headless Chromium (one browser for all figures of
   * the call). Without Chromium the PNG is left out and the rest still shows.
   * @default true
   */
  png?: boolean;
  /** Chromium executable. @default the one exportFigureImages uses (/usr/bin/chromium) */
  executablePath?: string;
  /** PNG size in CSS pixels. @default { width: 800, height: 600 } */
  pngSize?: { width: number; height: number };
}

/**
 * Displays each figure as one output: `application/vnd.plotly.v1+json` for
 * frontends with a plotly renderer (JupyterLab's plotly extension, VS Code),
 * HTML that shows the PNG and draws the interactive plot once the page has
 * plotly.js (`enablePlotly` in Jupyter, `embedPlotly` in an exported page;
 * the HTML is what an nbconvert export shows), the PNG itself, and a text line.
 *
 * @param figures One figure or several (rendered to PNG in one browser start).
 * @param options See {@linkcode DisplayFigureOptions}.
 * @returns Resolves when every figure is displayed (nothing, so a cell's last line shows no value).
 * @example
 * ```ts
 * const shown: MediaBundle[] = [];
 * await displayFigure({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }, {
 *   png: false,
 *   display: async (bundle) => void shown.push(bundle),
 * });
 * console.assert("application/vnd.plotly.v1+json" in shown[0]);
 * ```
 */
export async function displayFigure(
  figures: Figure | readonly Figure[],
  options: DisplayFigureOptions = {},
): Promise<void> {
  const list: readonly Figure[] = isFigure(figures) ? [figures] : figures;
  const display = options.display ?? jupyterDisplay();
  const pngs = options.png === false ? [] : await renderPngs(list, options);
  const bundles = list.map((figure, i) => figureBundle(figure, { id: `fer-figure-${randomUUID()}`, png: pngs[i] }));
  for (const bundle of bundles) await display(bundle);
}

function isFigure(value: Figure | readonly Figure[]): value is Figure {
  return !Array.isArray(value);
}

async function renderPngs(figures: readonly Figure[], options: DisplayFigureOptions): Promise<(Uint8Array | undefined)[]> {
  if (figures.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), "fer-figures-"));
  try {
    const paths = await exportFigureImages(
      figures.map((figure, i) => ({ figure, basePath: join(dir, `figure-${i}`) })),
      { formats: ["png"], scale: 1, ...options.pngSize, executablePath: options.executablePath },
    );
    return await Promise.all(paths.map(async (path) => new Uint8Array(await readFile(path))));
  } catch {
    // No Chromium: the HTML and plotly outputs still show the figure; only viewers without scripts miss it.
    return [];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
