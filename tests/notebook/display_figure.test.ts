import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { displayFigure } from "../../src/notebook/display_figure.ts";
import { DEFAULT_CHROMIUM } from "../../src/viz/export_figure_images.ts";
import type { Figure } from "../../src/viz/figures.ts";
import { recordingDisplay } from "./notebook_fixtures.ts";

const bar: Figure = { data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: { text: "Counts" }, width: 500 } };

describe("displayFigure", () => {
  it("sends one bundle per figure with the plotly MIME type, HTML and text", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure([bar, bar], { display, png: false });
    expect(calls).toHaveLength(2);
    const bundle = calls[0].bundle;
    expect(bundle["application/vnd.plotly.v1+json"]).toEqual({ data: bar.data, layout: bar.layout, config: { displaylogo: false } });
    expect(bundle["text/plain"]).toBe("Counts (plotly figure, 1 trace)");
    expect(bundle["image/png"]).toBeUndefined();
  });

  it("gives each figure its own element id", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure([bar, bar], { display, png: false });
    const ids = calls.map(({ bundle }) => /<div id="([^"]+)"/.exec(String(bundle["text/html"]))?.[1]);
    expect(ids[0]).toMatch(/^fer-figure-/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("draws with window.Plotly when present and otherwise queues the drawing for enablePlotly", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure(bar, { display, png: false });
    const html = String(calls[0].bundle["text/html"]);
    expect(html).toContain("if(window.Plotly){draw();}else{(window.ferPlotlyQueue=window.ferPlotlyQueue||[]).push(draw);}");
    expect(html).toContain("Counts: interactive figure");
  });

  it("escapes figure text so data cannot close the script element", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure({ data: [{ type: "bar", name: "</script><b>x", x: [1], y: [1] }], layout: {} }, { display, png: false });
    const html = String(calls[0].bundle["text/html"]);
    expect(html).not.toContain("</script><b>");
    expect(html).toContain("\\u003c/script>\\u003cb>x");
  });

  it("leaves the PNG out without an error when Chromium cannot start", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure(bar, { display, executablePath: "/nonexistent/chromium" });
    expect(calls).toHaveLength(1);
    expect(calls[0].bundle["image/png"]).toBeUndefined();
    expect(calls[0].bundle["text/html"]).toBeDefined();
  });

  it.skipIf(!existsSync(DEFAULT_CHROMIUM))("adds a PNG rendered by Chromium, also inside the HTML fallback", async () => {
    const { display, calls } = recordingDisplay();
    await displayFigure(bar, { display, pngSize: { width: 300, height: 200 } });
    const png = Buffer.from(String(calls[0].bundle["image/png"]), "base64");
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(300); // IHDR width
    expect(png.readUInt32BE(20)).toBe(200);
    expect(String(calls[0].bundle["text/html"])).toContain(`src="data:image/png;base64,${calls[0].bundle["image/png"]}"`);
  });
});
