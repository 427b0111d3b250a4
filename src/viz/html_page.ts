/**
 * The HTML page skeleton every page the workbench writes shares: figure
 * pages, report pages.
 *
 * @module
 */
import { escapeHtml } from "./escape_html.ts";

/** What goes into an {@linkcode htmlPage}. */
export interface HtmlPage {
  /** The browser tab's title (escaped here). */
  title: string;
  /** CSS for one `<style>` element in the head. */
  style: string;
  /** Further elements of the head, one per line, after the style (scripts). @default none */
  head?: readonly string[];
  /** The body's elements, one per line. */
  body: readonly string[];
}

/**
 * Writes a whole page: doctype, `lang="en"`, UTF-8, title, style, the head
 * elements and the body, one element per line, ending with a newline.
 *
 * @param page See {@linkcode HtmlPage}.
 * @returns The page's text.
 * @example
 * ```ts
 * const html = htmlPage({ title: "a < b", style: "body{margin:0}", body: ["<p>hi</p>"] });
 * console.assert(html.includes("<title>a &lt; b</title>") && html.endsWith("</html>\n"));
 * ```
 */
export function htmlPage(page: HtmlPage): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${page.style}</style>`,
    ...(page.head ?? []),
    "</head>",
    "<body>",
    ...page.body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
