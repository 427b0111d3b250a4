/**
 * Writes a data report's files: report.json, report.md, counts.html and
 * mean_faces.png.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { atomicWrite } from "../core/atomic_write.ts";
import { countsBarFigure } from "../viz/figures.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";
import type { DataReport, MeanFace } from "./_data_report_parts.ts";
import { formatDataReport } from "./format_data_report.ts";

/** File names inside a report folder. */
export const DATA_REPORT_FILES = {
  json: "report.json",
  markdown: "report.md",
  counts: "counts.html",
  meanFaces: "mean_faces.png",
} as const;

/**
 * Writes the report's four files into `outDir` (created when missing).
 * report.json holds everything except the mean-face pixels, which are in
 * mean_faces.png: one `size x size` tile per class, left to right in class order.
 *
 * @param report The report.
 * @param outDir Destination folder.
 * @returns Resolves when every file is written.
 * @example
 * ```ts
 * await writeDataReport(await dataReport("data/synthetic"), "results/data_report/synthetic");
 * ```
 */
export async function writeDataReport(report: DataReport, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const json = {
    ...report,
    meanFaces: report.meanFaces.map(({ className, images }) => ({ className, images })),
    meanFacesFile: DATA_REPORT_FILES.meanFaces,
  };
  await atomicWrite(join(outDir, DATA_REPORT_FILES.json), JSON.stringify(json, null, 2) + "\n");
  await atomicWrite(join(outDir, DATA_REPORT_FILES.markdown), formatDataReport(report, { details: true }));
  const title = `Images per split and class: ${report.root}${report.synthetic ? " (synthetic)" : ""}`;
  await saveFigureHtml(countsBarFigure(report.counts, report.classes, { title }), join(outDir, DATA_REPORT_FILES.counts));
  await atomicWrite(join(outDir, DATA_REPORT_FILES.meanFaces), await meanFaceStrip(report.meanFaces, report.settings.size));
}

async function meanFaceStrip(faces: readonly MeanFace[], size: number): Promise<Uint8Array> {
  const width = size * Math.max(1, faces.length);
  const strip = new Uint8Array(width * size);
  faces.forEach((face, f) => {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) strip[y * width + f * size + x] = Math.round(face.pixels[y * size + x]);
    }
  });
  const png = await sharp(strip, { raw: { width, height: size, channels: 1 } }).toColourspace("b-w").png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
