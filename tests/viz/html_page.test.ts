import { describe, expect, it } from "vitest";
import { htmlPage } from "../../src/viz/html_page.ts";
import { inlineScript } from "../../src/viz/inline_script.ts";
import { escapeHtml } from "../../src/viz/escape_html.ts";

describe("htmlPage", () => {
  it("puts the escaped title, the style and the head elements in the head, and the body after", () => {
    const html = htmlPage({ title: "a < b", style: "p{}", head: ["<script></script>"], body: ["<p>x</p>"] });
    expect(html.split("\n")).toEqual([
      "<!DOCTYPE html>",
      '<html lang="en">',
      "<head>",
      '<meta charset="utf-8">',
      "<title>a &lt; b</title>",
      "<style>p{}</style>",
      "<script></script>",
      "</head>",
      "<body>",
      "<p>x</p>",
      "</body>",
      "</html>",
      "",
    ]);
  });
});

describe("inlineScript", () => {
  it("writes a closing script tag inside the source so that it cannot end the element", () => {
    const element = inlineScript('const s = "</script>";');
    expect(element.match(/<\/script/g)?.length).toBe(1);
    expect(element).toBe('<script>const s = "<\\/script>";</script>');
  });
});

describe("escapeHtml", () => {
  it("escapes ampersands first, so an entity in the text stays visible", () => {
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });
});
