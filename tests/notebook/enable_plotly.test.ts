import { describe, expect, it } from "vitest";
import { enablePlotly } from "../../src/notebook/enable_plotly.ts";
import { recordingDisplay } from "./notebook_fixtures.ts";

const projectRoot = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

describe("enablePlotly", () => {
  it("sends a small loader instead of plotly.js itself", async () => {
    const { display, calls } = recordingDisplay();
    await enablePlotly({ display, notebookDir: `${projectRoot}/notebooks` });
    const html = String(calls[0].bundle["text/html"]);
    expect(html.length).toBeLessThan(4000);
    expect(html.includes("window.Plotly = Plotly")).toBe(false);
  });

  it("asks the server for plotly.js relative to the notebook's folder", async () => {
    const { display, calls } = recordingDisplay();
    await enablePlotly({ display, notebookDir: `${projectRoot}/notebooks` });
    expect(String(calls[0].bundle["text/html"])).toContain(`"../node_modules/plotly.js-dist-min/plotly.min.js"`);
  });

  it("also tries the path from the server root when it is given", async () => {
    const { display, calls } = recordingDisplay();
    await enablePlotly({ display, notebookDir: `${projectRoot}/notebooks`, serverRoot: projectRoot });
    expect(String(calls[0].bundle["text/html"])).toContain(`urls.push(base+'files/'+"node_modules/plotly.js-dist-min/plotly.min.js")`);
  });

  it("draws the queued figures once plotly.js has loaded, and does nothing outside a Jupyter page", async () => {
    const { display, calls } = recordingDisplay();
    await enablePlotly({ display, notebookDir: projectRoot });
    const html = String(calls[0].bundle["text/html"]);
    expect(html).toContain("window[q]||[]");
    expect(html).toContain("if(!base){return;}");
  });
});
