import { describe, expect, it } from "vitest";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { saveFigureHtml } from "../../src/viz/save_figure_html.ts";

async function htmlOf(figure: Parameters<typeof saveFigureHtml>[0], options = {}): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "fer-html-")), "sub", "figure.html");
  await saveFigureHtml(figure, path, options);
  return await readFile(path, "utf8");
}

describe("saveFigureHtml", () => {
  it("inlines plotly.js and loads no script from the network", async () => {
    const html = await htmlOf({ data: [{ type: "bar", x: ["a"], y: [1] }], layout: {} });
    expect(html.length).toBeGreaterThan(1_000_000);
    expect(html).toContain("Plotly.newPlot");
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/src=["']https:\/\/cdn/);
  });

  it("embeds the figure data as JSON", async () => {
    const html = await htmlOf({ data: [{ type: "bar", name: "train", x: ["happy"], y: [3976] }], layout: {} });
    expect(html).toContain('{"data":[{"type":"bar","name":"train","x":["happy"],"y":[3976]}],"layout":{}}');
  });

  it("escapes a closing script tag inside the data so it cannot end the script", async () => {
    const html = await htmlOf({ data: [{ type: "bar", name: "</script><script>alert(1)</script>" }], layout: {} });
    expect(html).not.toContain("</script><script>alert(1)");
    expect(html).toContain("\\u003c/script>\\u003cscript>alert(1)");
  });

  it("titles the page from the layout title", async () => {
    const html = await htmlOf({ data: [], layout: { title: { text: "Counts" } } });
    expect(html).toContain("<title>Counts</title>");
  });

  it("escapes HTML in an explicit title", async () => {
    const html = await htmlOf({ data: [], layout: {} }, { title: "a < b & c" });
    expect(html).toContain("<title>a &lt; b &amp; c</title>");
  });
});
