import { describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { embedPlotly } from "../../src/notebook/embed_plotly.ts";
import { plotlyScriptPath } from "../../src/viz/plotly_script_path.ts";
import { tempDir } from "./notebook_fixtures.ts";

describe("embedPlotly", () => {
  it("inlines plotly.js at the end of the head, before the page's own scripts run", async () => {
    const path = join(await tempDir("embed"), "page.html");
    await writeFile(path, "<html><head><title>t</title></head><body><script>pageOwnScript()</script></body></html>");
    expect(await embedPlotly(path)).toBe(true);
    const html = await readFile(path, "utf8");
    const plotly = await readFile(plotlyScriptPath(), "utf8");
    expect(html.length).toBeGreaterThan(plotly.length);
    expect(html.indexOf("window.Plotly = Plotly")).toBeLessThan(html.lastIndexOf("</head>"));
    expect(html.lastIndexOf("</head>")).toBeLessThan(html.indexOf("pageOwnScript()"));
  });

  it("changes nothing on a page that already has it", async () => {
    const path = join(await tempDir("embed"), "page.html");
    await writeFile(path, "<html><head></head><body></body></html>");
    await embedPlotly(path);
    const once = await readFile(path, "utf8");
    expect(await embedPlotly(path)).toBe(false);
    expect((await readFile(path, "utf8")).length).toBe(once.length);
  });

  it("rejects a file without a head, saying what to pass", async () => {
    const path = join(await tempDir("embed"), "page.html");
    await writeFile(path, "<p>fragment</p>");
    await expect(embedPlotly(path)).rejects.toThrow(`${path} has no </head>; pass an HTML page`);
  });
});
