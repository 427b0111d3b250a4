/**
 * The example sheet: one image under every perturbation at severities 0-5,
 * so a reader sees what each severity means.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import sharp from "sharp";
import type { ImageSet } from "../data/image_set.ts";
import type { Perturbation } from "./perturbation.ts";
import { perturbImage } from "./perturbation_suite.ts";

/** Options for {@linkcode robustnessExampleSheet}. */
export interface ExampleSheetOptions {
  /** Which image of the set to show. @default 0 */
  index?: number;
  /** Seed of the random draws (the suite's seed). @default 42 */
  seed?: number;
  /** Each image is enlarged this many times (nearest neighbour). @default 2 */
  scale?: number;
}

/**
 * A PNG: one row per perturbation (name on the left), columns severity 0 (clean) to 5.
 *
 * @param set Images to take the example from.
 * @param perturbations The rows.
 * @param options See {@linkcode ExampleSheetOptions}.
 * @returns The PNG bytes.
 * @example
 * ```ts
 * const png = await robustnessExampleSheet(validation, PERTURBATIONS, { index: 3 });
 * await Deno.writeFile("examples.png", png);
 * ```
 */
export async function robustnessExampleSheet(
  set: ImageSet,
  perturbations: readonly Perturbation[],
  options: ExampleSheetOptions = {},
): Promise<Uint8Array> {
  const { height, width, channels } = set;
  const index = Math.min(options.index ?? 0, set.count - 1);
  const scale = options.scale ?? 2;
  const label = 130, header = 22, gap = 4;
  const tileW = width * scale, tileH = height * scale;
  const sheetW = label + 6 * (tileW + gap), sheetH = header + perturbations.length * (tileH + gap);
  const sheet = new Uint8Array(sheetW * sheetH).fill(255);
  const length = height * width * channels;
  const image = set.pixels.subarray(index * length, (index + 1) * length);
  perturbations.forEach((perturbation, row) => {
    for (let severity = 0; severity <= 5; severity++) {
      const out = perturbImage(image, set, { perturbation, severity, seed: options.seed ?? 42 });
      const top = header + row * (tileH + gap), left = label + severity * (tileW + gap);
      for (let y = 0; y < tileH; y++) {
        for (let x = 0; x < tileW; x++) {
          sheet[(top + y) * sheetW + left + x] = out[(Math.floor(y / scale) * width + Math.floor(x / scale)) * channels];
        }
      }
    }
  });
  const text = [
    ...["clean", "1", "2", "3", "4", "5"].map((t, i) => `<text x="${label + i * (tileW + gap) + tileW / 2}" y="16" text-anchor="middle">${t}</text>`),
    ...perturbations.map((p, row) => `<text x="4" y="${header + row * (tileH + gap) + tileH / 2 + 5}">${p.name}</text>`),
  ].join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${sheetW}" height="${sheetH}" font-family="sans-serif" font-size="13">${text}</svg>`;
  const png = await sharp(sheet, { raw: { width: sheetW, height: sheetH, channels: 1 } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toBuffer();
  return new Uint8Array(png);
}
