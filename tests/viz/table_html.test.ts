import { describe, expect, it } from "vitest";
import { tableHtml } from "../../src/viz/table_html.ts";

describe("tableHtml", () => {
  it("writes one header row and one row per line of cells", () => {
    const html = tableHtml({ headers: ["a", "b"], cells: [["x", 1], ["y", 2]] });
    expect(html.match(/<tr>/g)?.length).toBe(3);
    expect(html.match(/<th /g)?.length).toBe(2);
  });

  it("escapes every header, cell and caption", () => {
    const html = tableHtml({ caption: "<i>c</i>", headers: ["<h>"], cells: [['"&<script>']] });
    expect(html).toContain("&lt;i&gt;c&lt;/i&gt;");
    expect(html).toContain("&lt;h&gt;");
    expect(html).toContain("&quot;&amp;&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("right-aligns numbers and leaves text left-aligned", () => {
    const html = tableHtml({ headers: ["t", "n"], cells: [["x", 3]] });
    expect(html).toMatch(/text-align:right">3<\/td>/);
    expect(html).not.toMatch(/text-align:right">x</);
  });
});
