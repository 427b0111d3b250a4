import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { DEFAULT_CHROMIUM, exportFigureImages } from "../../src/viz/export_figure_images.ts";
import type { Figure } from "../../src/viz/figures.ts";

const heatmap: Figure = {
  data: [{ type: "heatmap", z: [[10, 2], [3, 12]], x: ["happy", "sad"], y: ["happy", "sad"], colorscale: "Blues" }],
  layout: { title: { text: "Confusion matrix" } },
};

describe.skipIf(!existsSync(DEFAULT_CHROMIUM))("exportFigureImages", () => {
  it("renders a figure to a PNG that is not blank and to an SVG", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fer-png-"));
    const written = await exportFigureImages([{ figure: heatmap, basePath: join(dir, "cm") }], { width: 400, height: 300 });
    expect(written).toEqual([join(dir, "cm.png"), join(dir, "cm.svg")]);
    const { data, info } = await sharp(join(dir, "cm.png")).raw().toBuffer({ resolveWithObject: true });
    expect(info.width).toBe(800); // scale 2
    const distinct = new Set<number>();
    for (let i = 0; i < data.length; i += info.channels) distinct.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    expect(distinct.size).toBeGreaterThan(20);
    const svg = await readFile(join(dir, "cm.svg"), "utf8");
    expect(svg).toContain("<svg");
    expect(svg).toContain("happy");
  });

  it("says how to install Chromium when the binary is missing", async () => {
    await expect(exportFigureImages([{ figure: heatmap, basePath: "/tmp/x" }], { executablePath: "/no/chromium" }))
      .rejects.toThrow("apt-get install chromium");
  });
});
