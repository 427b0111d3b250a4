/**
 * Saves a plotly figure as one self-contained HTML page that works offline.
 *
 * @module
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { escapeHtml } from "./escape_html.ts";
import type { Figure } from "./figures.ts";
import { htmlPage } from "./html_page.ts";
import { inlineScript } from "./inline_script.ts";
import { plotlyScriptPath } from "./plotly_script_path.ts";
import { scriptJson } from "./script_json.ts";

/** Options for {@linkcode saveFigureHtml}. */
export interface SaveFigureHtmlOptions {
  /** Page title (the browser tab). @default the figure's layout title, else "Figure" */
  title?: string;
  /**
   * Load plotly.js from this URL, relative to the page (a copy made by
   * {@linkcode writePlotlyScript} beside it), instead of inlining its 4.7 MB:
   * many pages in one folder then share one copy. @default inline
   */
  plotlyScript?: string;
}

/**
 * Writes `figure` to `path` as an HTML page with plotly.js inlined from
 * node_modules (about 4.7 MB), so the page needs no network: it can be mailed,
 * archived with a run, or opened on a machine without internet. With
 * `plotlyScript` the page loads a shared copy beside it instead. The figure
 * JSON is embedded with `<` escaped, so no data can close the script tag.
 *
 * @param figure The figure spec.
 * @param path Destination `.html` file; parent folders are created.
 * @param options See {@linkcode SaveFigureHtmlOptions}.
 * @returns Resolves when the file is written (atomically).
 * @example
 * ```ts
 * await saveFigureHtml({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} }, "results/x.html");
 * const html = await Deno.readTextFile("results/x.html");
 * console.assert(!html.includes('src="https://'));
 * ```
 */
export async function saveFigureHtml(
  figure: Figure,
  path: string,
  options: SaveFigureHtmlOptions = {},
): Promise<void> {
  const plotly = options.plotlyScript === undefined ? await readFile(plotlyScriptPath(), "utf8") : null;
  const title = options.title ?? layoutTitle(figure) ?? "Figure";
  const html = htmlPage({
    title,
    style: "html,body{margin:0;height:100%}#figure{width:100%;height:100vh}",
    head: [plotly === null ? `<script src="${escapeHtml(options.plotlyScript!)}"></script>` : inlineScript(plotly)],
    body: [
      '<div id="figure"></div>',
      `<script type="application/json" id="figure-data">${scriptJson(figure)}</script>`,
      "<script>",
      'const figure = JSON.parse(document.getElementById("figure-data").textContent);',
      'Plotly.newPlot("figure", figure.data, figure.layout, { responsive: true, displaylogo: false });',
      "</script>",
    ],
  });
  await atomicWrite(path, html);
}

function layoutTitle(figure: Figure): string | undefined {
  const title = figure.layout.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && "text" in title && typeof title.text === "string") return title.text;
  return undefined;
}

/** File name of the plotly.js copy that the pages of one folder share. */
export const PLOTLY_SCRIPT_FILE = "plotly.min.js";

/**
 * Puts one copy of plotly.js in `dir` (unless an identical one is there), for
 * pages saved with `plotlyScript: PLOTLY_SCRIPT_FILE`: the folder stays
 * offline and shareable as a whole, with 4.7 MB of plotly once, not per page.
 *
 * @param dir The folder of the pages.
 * @returns The script's file name, relative to the pages.
 * @example
 * ```ts
 * const script = await writePlotlyScript("results/runs/x/plots");
 * await saveFigureHtml(figure, "results/runs/x/plots/a.html", { plotlyScript: script });
 * ```
 */
export async function writePlotlyScript(dir: string): Promise<string> {
  const path = join(dir, PLOTLY_SCRIPT_FILE);
  const source = await readFile(plotlyScriptPath());
  const existing = await stat(path).catch(() => null);
  if (existing?.size !== source.byteLength) await atomicWrite(path, source);
  return PLOTLY_SCRIPT_FILE;
}