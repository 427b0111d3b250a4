/**
 * The MIME bundle of one plotly figure: the plotly MIME type for frontends
 * that render it, HTML that draws with the page's plotly.js, a PNG fallback,
 * and a line of text.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import { escapeHtml } from "../viz/escape_html.ts";
import { scriptJson } from "../viz/script_json.ts";
import { toBase64 } from "../viz/to_base64.ts";
import { PLOTLY_QUEUE } from "./enable_plotly.ts";
import type { MediaBundle } from "./jupyter_display.ts";

/** The plotly MIME type (JupyterLab's plotly renderer, VS Code, nteract). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/**
 * The figure's title text, if any.
 *
 * @param figure A figure.
 * @returns The layout title, or undefined.
 * @example
 * ```ts
 * console.assert(figureTitle({ data: [], layout: { title: { text: "t" } } }) === "t");
 * ```
 */
export function figureTitle(figure: Figure): string | undefined {
  const title = figure.layout.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && "text" in title && typeof title.text === "string") return title.text;
  return undefined;
}

/**
 * Builds the bundle of one figure.
 *
 * The HTML holds the PNG (when given) inside the figure's `<div>`; its script
 * replaces it with the interactive plot as soon as `window.Plotly` exists, or
 * queues the drawing for the loader of `enablePlotly`. Where plotly.js never
 * loads or scripts do not run, the PNG (or a note) stays.
 *
 * @param figure The figure.
 * @param options `id`: the element id (unique in the page); `png`: the rendered image, if any.
 * @returns The bundle.
 * @example
 * ```ts
 * const bundle = figureBundle({ data: [], layout: {} }, { id: "f1" });
 * console.assert(String(bundle["text/html"]).includes('id="f1"'));
 * ```
 */
export function figureBundle(figure: Figure, options: { id: string; png?: Uint8Array }): MediaBundle {
  const title = figureTitle(figure) ?? "Figure";
  const { id } = options;
  const fallback = options.png
    ? `<img alt="${escapeHtml(title)}" style="max-width:100%" src="data:image/png;base64,${toBase64(options.png)}">`
    : `<p style="color:#666">${escapeHtml(title)}: interactive figure; it draws where plotly.js loads (enablePlotly, embedPlotly)</p>`;
  const width = typeof figure.layout.width === "number" ? `max-width:${figure.layout.width}px;` : "";
  const script = [
    "(function(){",
    `var id=${JSON.stringify(id)},tries=0;`,
    "function draw(){var div=document.getElementById(id),data=document.getElementById(id+'-data');",
    "if(!div||!data){if(tries++<50){setTimeout(draw,100);}return;}",
    "var fig=JSON.parse(data.textContent);div.innerHTML='';",
    "window.Plotly.newPlot(div,fig.data,fig.layout,{responsive:true,displaylogo:false});}",
    `if(window.Plotly){draw();}else{(window.${PLOTLY_QUEUE}=window.${PLOTLY_QUEUE}||[]).push(draw);}`,
    "})();",
  ].join("");
  const bundle: MediaBundle = {
    [PLOTLY_MIME]: { data: figure.data, layout: figure.layout, config: { displaylogo: false } },
    "text/html": [
      `<div id="${escapeHtml(id)}" style="${width}width:100%">${fallback}</div>`,
      `<script type="application/json" id="${escapeHtml(id)}-data">${scriptJson(figure)}</script>`,
      `<script>${script}</script>`,
    ].join("\n"),
    "text/plain": `${title} (plotly figure, ${figure.data.length} trace${figure.data.length === 1 ? "" : "s"})`,
  };
  if (options.png) bundle["image/png"] = toBase64(options.png);
  return bundle;
}
