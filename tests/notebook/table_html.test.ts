import { describe, expect, it } from "vitest";
import { tableHtml, tableText } from "../../src/notebook/table_html.ts";

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

  it("prints whole numbers as they are and other numbers with three decimals", () => {
    const text = tableText({ headers: ["n"], cells: [[4], [0.12345]] });
    expect(text.split("\n").slice(2)).toEqual(["    4", "0.123"]);
  });

  it("uses the decimals given for a column", () => {
    const text = tableText({ headers: ["n", "m"], cells: [[1, 1]], decimals: [2, null] });
    expect(text.split("\n")[2]).toBe("1.00  1");
  });

  it("shows null as an empty cell", () => {
    expect(tableText({ headers: ["a", "b"], cells: [[null, "x"]] }).split("\n")[2]).toBe("   x");
  });

  it("aligns plain text columns under a caption and a rule", () => {
    expect(tableText({ caption: "C", headers: ["name", "n"], cells: [["ab", 10]] })).toBe("C\nname  n\n----  --\nab    10");
  });
});
