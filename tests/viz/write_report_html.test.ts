import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { writeReportHtml } from "../../src/viz/write_report_html.ts";
import { tempDir } from "../notebook/notebook_fixtures.ts";

describe("writeReportHtml", () => {
  it("writes one page with plotly inlined once and one drawn element per figure", async () => {
    const path = join(await tempDir("report"), "sub", "report.html");
    const figure = { data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} };
    await writeReportHtml(path, {
      title: "R",
      sections: [{ heading: "A", figures: [figure, figure] }, { heading: "B", figures: [figure] }],
    });
    const html = await readFile(path, "utf8");
    expect(html.split("window.Plotly = Plotly").length - 1).toBe(1);
    expect(html.match(/<div class="figure" id="figure-\d+">/g)).toEqual([
      '<div class="figure" id="figure-1">',
      '<div class="figure" id="figure-2">',
      '<div class="figure" id="figure-3">',
    ]);
    expect(html.includes("<script src=")).toBe(false);
  });

  it("escapes titles, paragraphs and figure data", async () => {
    const path = join(await tempDir("report"), "report.html");
    await writeReportHtml(path, {
      title: "<T>",
      intro: ["a & b"],
      sections: [{ heading: "<h>", paragraphs: ["<p>"], figures: [{ data: [{ name: "</script><i>" }], layout: {} }] }],
    });
    const html = await readFile(path, "utf8");
    expect(html.includes("<title>&lt;T&gt;</title>")).toBe(true);
    expect(html.includes("<p>a &amp; b</p>")).toBe(true);
    expect(html.includes("<h2>&lt;h&gt;</h2>")).toBe(true);
    expect(html.includes("</script><i>")).toBe(false);
  });

  it("embeds images as data URLs with their captions, and tables", async () => {
    const path = join(await tempDir("report"), "report.html");
    const png = new Uint8Array(await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } }).png().toBuffer());
    await writeReportHtml(path, {
      title: "R",
      sections: [{ heading: "A", images: [{ png, caption: "grid" }], tables: [{ headers: ["h"], cells: [["c"]] }] }],
    });
    const html = await readFile(path, "utf8");
    expect(html.includes('src="data:image/png;base64,')).toBe(true);
    expect(html.includes("<figcaption>grid</figcaption>")).toBe(true);
    expect(html.includes("<table")).toBe(true);
  });
});
