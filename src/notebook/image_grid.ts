/**
 * Tiles grayscale images into one labelled PNG (samples per class, mean
 * faces, misclassified images), drawn with sharp.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import sharp from "sharp";
import { ConfigError, DatasetError } from "../core/errors.ts";
import { escapeHtml } from "../viz/escape_html.ts";

/** One image of the grid: `size x size` gray values (0-255, row-major), with an optional caption under it. */
export interface GridTile {
  pixels: ArrayLike<number>;
  caption?: string;
}

/** One row of the grid, with its label on the left. */
export interface GridRow {
  /** Row label; "\n" starts a second line (the first line is bold). */
  label: string;
  tiles: readonly GridTile[];
}

/** Options of {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Side of each source image in pixels. @default 48 */
  size?: number;
  /** Enlargement of each tile (nearest neighbour, so pixels stay visible). @default 2 */
  scale?: number;
  /** Width of the label column in output pixels. @default 120 */
  labelWidth?: number;
  /** Title line above the grid. @default none */
  title?: string;
}

const GAP = 6;
const FONT = "DejaVu Sans, Arial, sans-serif";

/**
 * Draws rows of tiles on a white background: the row label on the left, each
 * tile enlarged by `scale`, captions (if any) under the tiles. Gray values
 * are rounded and clamped to 0-255, so mean images (floats) work as they are.
 * A row without tiles shows "(none)"; no rows at all gives one "(no images)" row.
 *
 * @param rows Rows in display order; rows may differ in length.
 * @param options See {@linkcode ImageGridOptions}.
 * @returns PNG bytes.
 * @throws {ConfigError} When size, scale or labelWidth is out of range.
 * @throws {DatasetError} When a tile does not hold `size * size` values.
 * @example
 * ```ts
 * const png = await imageGrid([{ label: "happy", tiles: [{ pixels: new Uint8Array(48 * 48).fill(200) }] }]);
 * console.assert(png[1] === 0x50); // "P" of the PNG signature
 * ```
 */
export async function imageGrid(rows: readonly GridRow[], options: ImageGridOptions = {}): Promise<Uint8Array> {
  const { size = 48, scale = 2, labelWidth = 120 } = options;
  if (!Number.isInteger(size) || size < 1 || size > 1024) {
    throw new ConfigError(`Image grid size ${size} is not a whole number of pixels in [1, 1024]; use the images' side, e.g. 48`);
  }
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) {
    throw new ConfigError(`Image grid scale ${scale} is not a whole number in [1, 16]; use e.g. 2`);
  }
  if (!Number.isInteger(labelWidth) || labelWidth < 0) {
    throw new ConfigError(`Image grid labelWidth ${labelWidth} is not a whole number of pixels >= 0; use e.g. 120`);
  }
  // Empty is a finding (no mistakes, no near duplicates), not an error: rows without tiles say "(none)".
  const shownRows: readonly GridRow[] = rows.length > 0 ? rows : [{ label: "(no images)", tiles: [] }];
  const columns = Math.max(1, ...shownRows.map((row) => row.tiles.length));
  const tile = size * scale;
  const captioned = shownRows.some((row) => row.tiles.some((t) => t.caption));
  const captionHeight = captioned ? 16 : 0;
  const titleHeight = options.title ? 24 : 0;
  const rowHeight = tile + captionHeight + GAP;
  const width = labelWidth + columns * (tile + GAP) + GAP;
  const height = titleHeight + shownRows.length * rowHeight + GAP;

  const composites: sharp.OverlayOptions[] = [];
  const texts: string[] = [];
  if (options.title) texts.push(text(GAP, 17, options.title, { size: 14, weight: 600 }));
  for (const [r, row] of shownRows.entries()) {
    const top = titleHeight + GAP + r * rowHeight;
    const lines = row.label.split("\n");
    lines.forEach((line, i) => {
      const y = top + tile / 2 + 4 + (i - (lines.length - 1) / 2) * 15;
      texts.push(text(GAP, y, line, { size: 12, weight: i === 0 ? 600 : 400, maxWidth: labelWidth - GAP }));
    });
    if (row.tiles.length === 0) texts.push(text(labelWidth + GAP, top + tile / 2 + 4, "(none)", { size: 12 }));
    for (const [c, t] of row.tiles.entries()) {
      const left = labelWidth + GAP + c * (tile + GAP);
      composites.push({ input: await tilePng(t, size, tile, `row "${row.label}", tile ${c + 1}`), left, top });
      if (t.caption) texts.push(text(left, top + tile + 12, t.caption, { size: 10, maxWidth: tile + GAP }));
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${texts.join("")}</svg>`;
  composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(composites)
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

async function tilePng(tile: GridTile, size: number, side: number, where: string): Promise<Buffer> {
  if (tile.pixels.length !== size * size) {
    throw new DatasetError(
      `Image grid ${where} has ${tile.pixels.length} values; expected ${size}x${size} = ${size * size} gray values (pass size to match)`,
    );
  }
  const gray = Uint8Array.from(tile.pixels, (v) => Math.min(255, Math.max(0, Math.round(v))));
  return await sharp(gray, { raw: { width: size, height: size, channels: 1 } })
    .resize(side, side, { kernel: "nearest" })
    .toColourspace("srgb")
    .png()
    .toBuffer();
}

function text(x: number, y: number, content: string, style: { size: number; weight?: number; maxWidth?: number }): string {
  // Cut long text to what fits: about 0.6 em per character.
  const fit = style.maxWidth ? Math.max(1, Math.floor(style.maxWidth / (style.size * 0.6))) : Infinity;
  const shown = content.length > fit ? `${content.slice(0, Math.max(1, fit - 1))}…` : content;
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${style.size}" font-weight="${style.weight ?? 400}" fill="#222">` +
    `${escapeHtml(shown)}</text>`;
}
