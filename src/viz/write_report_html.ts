/**
 * Writes a shareable report: one self-contained HTML page of text, tables,
 * interactive figures and images, readable offline.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { atomicWrite } from "../core/atomic_write.ts";
import { escapeHtml } from "./escape_html.ts";
import type { Figure } from "./figures.ts";
import { htmlPage } from "./html_page.ts";
import { inlineScript } from "./inline_script.ts";
import { plotlyScriptPath } from "./plotly_script_path.ts";
import { scriptJson } from "./script_json.ts";
import type { Table } from "./table.ts";
import { tableHtml } from "./table_html.ts";
import { toBase64 } from "./to_base64.ts";

/** One section of a report, shown in this order: paragraphs, tables, figures, images. */
export interface ReportSection {
  heading: string;
  /** Plain text paragraphs (escaped). */
  paragraphs?: readonly string[];
  tables?: readonly Table[];
  figures?: readonly Figure[];
  images?: readonly { png: Uint8Array; caption?: string }[];
}

/** The content of a report. */
export interface Report {
  title: string;
  /** Paragraphs under the title. */
  intro?: readonly string[];
  sections: readonly ReportSection[];
}

/**
 * Writes the report to `path`: plotly.js is inlined once (about 4.7 MB) and
 * images are data URLs, so the single file can be mailed or archived and
 * opens without network. The figure data is embedded as JSON with `<`
 * escaped; all text is HTML-escaped.
 *
 * @param path Destination `.html` file; parent folders are created.
 * @param report Title, intro and sections.
 * @returns Resolves when the file is written (atomically).
 * @example
 * ```ts
 * await writeReportHtml("results/notebooks/report.html", {
 *   title: "Runs",
 *   sections: [{ heading: "Accuracy", figures: [runsComparisonFigure(rows)] }],
 * });
 * ```
 */
export async function writeReportHtml(path: string, report: Report): Promise<void> {
  const plotly = await readFile(plotlyScriptPath(), "utf8");
  let figureCount = 0;
  const body: string[] = [`<h1>${escapeHtml(report.title)}</h1>`, ...(report.intro ?? []).map(paragraph)];
  for (const section of report.sections) {
    body.push(`<section><h2>${escapeHtml(section.heading)}</h2>`, ...(section.paragraphs ?? []).map(paragraph));
    body.push(...(section.tables ?? []).map((table) => `<div style="overflow-x:auto">${tableHtml(table)}</div>`));
    for (const figure of section.figures ?? []) {
      const id = `figure-${++figureCount}`;
      body.push(
        `<div class="figure" id="${id}"></div>`,
        `<script type="application/json" id="${id}-data">${scriptJson(figure)}</script>`,
      );
    }
    for (const image of section.images ?? []) {
      const caption = image.caption ?? "";
      body.push(
        `<figure><img alt="${escapeHtml(caption)}" src="data:image/png;base64,${toBase64(image.png)}">` +
          (caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : "") + "</figure>",
      );
    }
    body.push("</section>");
  }
  const draw = "document.querySelectorAll('div.figure').forEach(function(div){" +
    "var fig=JSON.parse(document.getElementById(div.id+'-data').textContent);" +
    "Plotly.newPlot(div,fig.data,fig.layout,{responsive:true,displaylogo:false});});";
  const html = htmlPage({
    title: report.title,
    style: "body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}" +
      "h2{margin-top:2em;border-bottom:1px solid #ccc}figure{margin:1em 0}figcaption{color:#555;font-size:13px}" +
      ".figure{margin:1em 0}",
    head: [inlineScript(plotly)],
    body: [...body, `<script>${draw}</script>`],
  });
  await atomicWrite(path, html);
}

function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}
