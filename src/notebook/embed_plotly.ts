/**
 * Makes an exported notebook page interactive and self-contained.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { atomicWrite } from "../core/atomic_write.ts";
import { plotlyScriptPath } from "../viz/plotly_script_path.ts";

/** Marks a page that already holds plotly.js, so embedding twice changes nothing. */
const MARKER = "<!-- fer: plotly.js embedded -->";

/**
 * Inlines plotly.js (from node_modules, about 4.7 MB) into the `<head>` of an
 * HTML file, such as an nbconvert export of a notebook, so the figures that
 * `displayFigure` put in it draw interactively, offline, instead of showing
 * their PNG.
 *
 * @param htmlPath The HTML file, rewritten in place (atomically).
 * @returns True when plotly.js was added; false when the page already had it.
 * @throws Error when the file has no `</head>`.
 * @example
 * ```ts
 * await embedPlotly("results/notebooks/02_cnns.html");
 * ```
 */
export async function embedPlotly(htmlPath: string): Promise<boolean> {
  const html = await readFile(htmlPath, "utf8");
  if (html.includes(MARKER)) return false;
  const head = html.indexOf("</head>");
  if (head < 0) throw new Error(`${htmlPath} has no </head>; pass an HTML page such as an nbconvert --to html export`);
  const plotly = await readFile(plotlyScriptPath(), "utf8");
  // A literal "</script" inside the bundle would end the tag early; "<\/" means the same in JS.
  const script = `${MARKER}\n<script>${plotly.replaceAll("</script", "<\\/script")}</script>\n`;
  await atomicWrite(htmlPath, html.slice(0, head) + script + html.slice(head));
  return true;
}
