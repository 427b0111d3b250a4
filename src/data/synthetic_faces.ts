/**
 * Generates a synthetic face dataset, so the workbench runs end to end on a
 * machine with no real data. Every image is drawn as SVG and rasterised by
 * sharp; the dataset is marked synthetic so runs and reports say so.
 *
 * @module
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import sharp from "sharp";
import { ConfigError } from "../core/errors.ts";
import { makeRng, type Rng } from "../core/seed.ts";
import { DEFAULT_CLASSES, SPLITS, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
import { DRAWABLE_EXPRESSIONS, faceSvg } from "./_face_svg.ts";
import { mapConcurrent } from "./_map_concurrent.ts";

/** Names the generator in the marker file; bump when the drawing changes. */
export const SYNTHETIC_GENERATOR = "fer-workbench synthetic_faces v1";

/** Options for {@linkcode generateSyntheticDataset}. */
export interface SyntheticDatasetOptions {
  /** Images per class in each split. */
  perClass: Record<SplitName, number>;
  /** Classes to draw, any of FER-2013's seven. @default DEFAULT_CLASSES */
  classes?: readonly string[];
  /** Side length in pixels. @default 48 */
  size?: number;
  /** Seed of the generator; the same seed gives byte-identical files. */
  seed: number;
  /** Replace a non-empty `out` folder. @default false */
  overwrite?: boolean;
}

/** What the marker file records, and what {@linkcode generateSyntheticDataset} returns. */
export interface SyntheticMarker {
  synthetic: true;
  generator: string;
  seed: number;
  size: number;
  classes: string[];
  /** Images per split and class. */
  counts: Record<SplitName, Record<string, number>>;
}

/**
 * Writes `out/<split>/<class>/synthetic_<n>.png` (grayscale PNG) and
 * `out/SYNTHETIC.json`. Faces vary in position, size, rotation, lighting,
 * contrast, pixel noise and expression strength, all drawn from a generator
 * seeded with `seed`; each split and class draws from its own fork, so changing
 * one count leaves the other folders' images unchanged. Files are written to a
 * temporary sibling folder and renamed into place at the end, so an interrupted
 * run never leaves a half-written dataset behind the marker.
 *
 * @param out Destination folder; must be missing or empty unless `overwrite`.
 * @param options See {@linkcode SyntheticDatasetOptions}.
 * @returns The marker written.
 * @throws {ConfigError} On an unknown class, a bad count or size, or a non-empty `out`.
 * @example
 * ```ts
 * const marker = await generateSyntheticDataset("data/synthetic", {
 *   perClass: { train: 20, validation: 5, test: 5 },
 *   seed: 42,
 * });
 * console.assert(marker.counts.train.happy === 20);
 * ```
 */
export async function generateSyntheticDataset(out: string, options: SyntheticDatasetOptions): Promise<SyntheticMarker> {
  const classes = [...(options.classes ?? DEFAULT_CLASSES)];
  const size = options.size ?? 48;
  checkOptions(classes, size, options.perClass);
  await checkOut(out, options.overwrite ?? false);
  const rng = makeRng(options.seed);
  const staging = join(dirname(out), `.${basename(out)}.partial-${options.seed}-${rng.fork().int(1e9)}`);
  const jobs: { path: string; className: string; rng: Rng }[] = [];
  for (const split of SPLITS) {
    for (const className of classes) {
      const folderRng = rng.fork();
      await mkdir(join(staging, split, className), { recursive: true });
      for (let n = 0; n < options.perClass[split]; n++) {
        const name = `synthetic_${String(n).padStart(5, "0")}.png`;
        jobs.push({ path: join(staging, split, className, name), className, rng: folderRng.fork() });
      }
    }
  }
  try {
    await mapConcurrent(jobs, async (job) => await writeFile(job.path, await drawFace(job.className, size, job.rng)));
    const marker: SyntheticMarker = {
      synthetic: true,
      generator: SYNTHETIC_GENERATOR,
      seed: options.seed,
      size,
      classes,
      counts: Object.fromEntries(
        SPLITS.map((split) => [split, Object.fromEntries(classes.map((c) => [c, options.perClass[split]]))]),
      ) as Record<SplitName, Record<string, number>>,
    };
    await writeFile(join(staging, SYNTHETIC_MARKER_FILE), JSON.stringify(marker, null, 2) + "\n");
    await rm(out, { recursive: true, force: true });
    await rename(staging, out);
    return marker;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Renders the face, then applies contrast, brightness and Gaussian pixel noise. */
async function drawFace(className: string, size: number, rng: Rng): Promise<Uint8Array> {
  const svg = faceSvg(className, { size, rng });
  const { data, info } = await sharp(new TextEncoder().encode(svg))
    .resize(size, size, { fit: "fill" })
    .removeAlpha()
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const contrast = rng.uniform(0.7, 1.3);
  const brightness = rng.uniform(-20, 20);
  const noise = rng.uniform(2, 10);
  const pixels = new Uint8Array(size * size);
  for (let i = 0; i < pixels.length; i++) {
    const value = (data[i * info.channels] - 128) * contrast + 128 + brightness + rng.normal() * noise;
    pixels[i] = Math.min(255, Math.max(0, Math.round(value)));
  }
  const png = await sharp(pixels, { raw: { width: size, height: size, channels: 1 } }).toColourspace("b-w").png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function checkOptions(classes: string[], size: number, perClass: Record<SplitName, number>): void {
  for (const name of classes) {
    if (!DRAWABLE_EXPRESSIONS.includes(name)) {
      throw new ConfigError(
        `Unknown class "${name}" for synthetic faces; known: ${DRAWABLE_EXPRESSIONS.join(", ")}`,
      );
    }
  }
  if (new Set(classes).size !== classes.length || classes.length === 0) {
    throw new ConfigError(`Classes ${classes.join(", ") || "(none)"} must be distinct and not empty`);
  }
  if (!Number.isInteger(size) || size < 16 || size > 512) {
    throw new ConfigError(`Synthetic image size ${size} is not an integer in [16, 512]; use 48 for FER-like images`);
  }
  for (const split of SPLITS) {
    const count = perClass?.[split];
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError(
        `Synthetic perClass.${split} is ${count}; pass a whole number of images per class, e.g. { train: 200, validation: 50, test: 50 }`,
      );
    }
  }
  if (SPLITS.every((split) => perClass[split] === 0)) {
    throw new ConfigError("Synthetic perClass is 0 for every split; ask for at least one image, e.g. { train: 200, validation: 50, test: 50 }");
  }
}

async function checkOut(out: string, overwrite: boolean): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(out)).isDirectory()) {
      throw new ConfigError(`Output path ${out} is a file; pass a folder path`);
    }
    entries = await readdir(out);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return; // missing: fine
  }
  if (entries.length > 0 && !overwrite) {
    throw new ConfigError(
      `Output folder ${out} is not empty (${entries.length} entries); choose a new folder or pass overwrite: true (--overwrite) to replace it`,
    );
  }
}
