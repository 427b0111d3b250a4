/**
 * Shows a PNG image (an image grid, mean faces) in a notebook.
 *
 * @module
 */
import { escapeHtml } from "../viz/escape_html.ts";
import { toBase64 } from "../viz/to_base64.ts";
import { jupyterDisplay, type MediaBundle, type NotebookDisplay } from "./jupyter_display.ts";

/** Options of {@linkcode displayImage}. */
export interface DisplayImageOptions {
  /** Text under the image (and its alt text). @default none */
  caption?: string;
  /** Where the bundle goes. @default jupyterDisplay() */
  display?: NotebookDisplay;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Displays PNG bytes as `image/png`, plus HTML with the caption and a text line.
 *
 * @param png PNG file bytes (e.g. from `imageGrid`).
 * @param options See {@linkcode DisplayImageOptions}.
 * @returns Resolves when displayed (nothing, so a cell's last line shows no value).
 * @throws Error when the bytes are not a PNG.
 * @example
 * ```ts
 * const shown: MediaBundle[] = [];
 * await displayImage(await imageGrid([{ label: "a", tiles: [{ pixels: new Uint8Array(64) }] }], { size: 8 }), {
 *   caption: "one black tile",
 *   display: async (b) => void shown.push(b),
 * });
 * console.assert(typeof shown[0]["image/png"] === "string");
 * ```
 */
export async function displayImage(png: Uint8Array, options: DisplayImageOptions = {}): Promise<void> {
  if (png.length < 8 || PNG_SIGNATURE.some((byte, i) => png[i] !== byte)) {
    throw new Error(`Image of ${png.length} bytes is not a PNG (no PNG signature); pass PNG bytes, e.g. from imageGrid`);
  }
  const data = toBase64(png);
  const caption = options.caption ?? "";
  const bundle: MediaBundle = {
    "image/png": data,
    "text/html": `<figure style="margin:0.5em 0"><img alt="${escapeHtml(caption)}" src="data:image/png;base64,${data}">` +
      (caption ? `<figcaption style="font:13px system-ui,sans-serif;color:#444">${escapeHtml(caption)}</figcaption>` : "") +
      "</figure>",
    "text/plain": caption ? `[image: ${caption}]` : `[image: PNG, ${png.length} bytes]`,
  };
  await (options.display ?? jupyterDisplay())(bundle);
}
