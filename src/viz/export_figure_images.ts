/**
 * Renders plotly figures to PNG and SVG in headless Chromium.
 *
 * One browser serves a whole batch of figures, since starting Chromium costs
 * about a second. plotly.js is loaded from node_modules into the page, so no
 * network is used.
 *
 * @module
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { chromium } from "playwright-core";
import { atomicWrite } from "../core/atomic_write.ts";
import type { Figure } from "./figures.ts";
import { plotlyScriptPath } from "./plotly_script_path.ts";

/** Default Chromium binary (Debian's `chromium` package). */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** One figure to write, and where. */
export interface FigureImageJob {
  figure: Figure;
  /** Destination without extension; `.png` and/or `.svg` are appended. */
  basePath: string;
}

/** Options of {@linkcode exportFigureImages}. */
export interface ExportImageOptions {
  /** Formats to write. @default ["png", "svg"] */
  formats?: ("png" | "svg")[];
  /** Image width in CSS pixels. @default 800 */
  width?: number;
  /** Image height in CSS pixels. @default 600 */
  height?: number;
  /** PNG pixel ratio (2 = sharp on high-DPI screens). @default 2 */
  scale?: number;
  /** Chromium executable. @default DEFAULT_CHROMIUM */
  executablePath?: string;
}

/**
 * Writes each figure as PNG and/or SVG.
 *
 * @param jobs Figures and their destination base paths.
 * @param options See {@linkcode ExportImageOptions}.
 * @returns The paths written, in job order.
 * @throws Error saying how to install Chromium when it cannot be started.
 * @example
 * ```ts
 * const [png] = await exportFigureImages([{ figure, basePath: "plots/confusion" }], { formats: ["png"] });
 * ```
 */
export async function exportFigureImages(
  jobs: readonly FigureImageJob[],
  options: ExportImageOptions = {},
): Promise<string[]> {
  if (jobs.length === 0) return [];
  const { formats = ["png", "svg"], width = 800, height = 600, scale = 2 } = options;
  const browser = await launch(options.executablePath ?? DEFAULT_CHROMIUM);
  const written: string[] = [];
  try {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html><body><div id="plot"></div></body></html>`);
    await page.addScriptTag({ content: await readFile(plotlyScriptPath(), "utf8") });
    for (const job of jobs) {
      for (const format of formats) {
        const dataUrl = await page.evaluate(
          async ({ figure, format, width, height, scale }) => {
            // Runs in the page, where plotly.js defines Plotly and the DOM exists.
            const page = globalThis as unknown as {
              Plotly: {
                newPlot(div: unknown, data: unknown, layout: unknown, config: unknown): Promise<unknown>;
                toImage(div: unknown, options: unknown): Promise<string>;
              };
              document: { getElementById(id: string): unknown };
            };
            const plotly = page.Plotly;
            const div = page.document.getElementById("plot");
            await plotly.newPlot(div, figure.data, figure.layout, { staticPlot: true });
            return await plotly.toImage(div, { format, width, height, scale: format === "png" ? scale : 1 });
          },
          { figure: job.figure, format, width, height, scale },
        );
        const path = `${job.basePath}.${format}`;
        await mkdir(dirname(path), { recursive: true });
        await atomicWrite(path, decodeDataUrl(dataUrl));
        written.push(path);
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}

async function launch(executablePath: string) {
  try {
    return await chromium.launch({
      executablePath,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  } catch (error) {
    throw new Error(
      `Could not start Chromium at ${executablePath} to render figures (${(error as Error).message.split("\n")[0]}); ` +
        "install it (Debian: apt-get install chromium) or pass executablePath; the offline HTML plots do not need it",
    );
  }
}

function decodeDataUrl(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(",");
  const header = dataUrl.slice(0, comma);
  const body = dataUrl.slice(comma + 1);
  return header.endsWith(";base64")
    ? Uint8Array.from(Buffer.from(body, "base64"))
    : new TextEncoder().encode(decodeURIComponent(body));
}
