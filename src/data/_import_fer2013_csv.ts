/**
 * Imports FER-2013's `fer2013.csv` (emotion, pixels, Usage) as PNG files.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import sharp from "sharp";
import { DatasetError } from "../core/errors.ts";
import { FER2013_CLASSES, type SplitName } from "./classes.ts";

/** FER-2013's Usage values and the split each becomes. */
export const FER2013_USAGE_SPLITS: Readonly<Record<string, SplitName>> = {
  Training: "train",
  PublicTest: "validation",
  PrivateTest: "test",
};

const SIDE = 48;
const PIXELS = SIDE * SIDE;
const IN_FLIGHT = 16;

/** What one pass over the csv produced. */
export interface CsvImportResult {
  counts: Record<SplitName, Record<string, number>>;
  skippedClasses: Record<string, number>;
  malformedRows: { line: number; reason: string }[];
}

/**
 * Streams the csv line by line (the full file is about 300 MB) and writes each
 * row as a 48x48 grayscale PNG to `out/<split>/<class>/<Usage>_<row>.png`,
 * where `row` counts data rows from 0 (the pandas index). Rows with a wrong
 * field or pixel count, a pixel outside 0-255, or an unknown emotion or Usage
 * are skipped and listed by line number (the header is line 1).
 *
 * @param source Path of the csv.
 * @param options `out` folder (prepared by the caller) and the `classes` kept.
 * @returns Counts per split and class, skipped classes and malformed rows.
 * @throws {DatasetError} When the header lacks emotion, pixels or Usage.
 * @example
 * ```ts
 * const result = await importFer2013Csv("fer2013.csv", { out: "data/fer2013", classes: ["happy", "sad"] });
 * console.assert(result.counts.train.happy > 0);
 * ```
 */
export async function importFer2013Csv(
  source: string,
  options: { out: string; classes: readonly string[] },
): Promise<CsvImportResult> {
  const result: CsvImportResult = { counts: { train: {}, validation: {}, test: {} }, skippedClasses: {}, malformedRows: [] };
  for (const split of Object.values(FER2013_USAGE_SPLITS)) {
    for (const name of options.classes) result.counts[split][name] = 0;
  }
  const folders = new Set<string>();
  const lines = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
  let columns: { emotion: number; pixels: number; usage: number; count: number } | undefined;
  let lineNumber = 0;
  let row = 0;
  const pending = new Set<Promise<void>>();
  let failure: unknown;
  for await (const line of lines) {
    lineNumber++;
    if (columns === undefined) {
      columns = parseHeader(line, source);
      continue;
    }
    if (line.trim() === "") continue;
    const parsed = parseRow(line, columns);
    const index = row++;
    if (typeof parsed === "string") {
      result.malformedRows.push({ line: lineNumber, reason: parsed });
      continue;
    }
    const className = FER2013_CLASSES[parsed.emotion];
    if (!options.classes.includes(className)) {
      result.skippedClasses[className] = (result.skippedClasses[className] ?? 0) + 1;
      continue;
    }
    result.counts[FER2013_USAGE_SPLITS[parsed.usage]][className]++;
    const folder = join(options.out, FER2013_USAGE_SPLITS[parsed.usage], className);
    if (!folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      folders.add(folder);
    }
    const path = join(folder, `${parsed.usage}_${index}.png`);
    // Failures are kept, not left to reject unobserved; the first one ends the import.
    const write = writePng(parsed.pixels, path)
      .catch((error) => void (failure ??= error))
      .finally(() => pending.delete(write));
    pending.add(write);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
    if (failure !== undefined) break;
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  if (columns === undefined) throw new DatasetError(`CSV ${source} is empty; expected a header emotion,pixels,Usage and one row per image`);
  return result;
}

function parseHeader(line: string, source: string) {
  const names = splitFields(line).map((name) => name.trim().toLowerCase());
  const find = (name: string) => names.indexOf(name);
  const columns = { emotion: find("emotion"), pixels: find("pixels"), usage: find("usage"), count: names.length };
  if (columns.emotion < 0 || columns.pixels < 0 || columns.usage < 0) {
    throw new DatasetError(
      `CSV ${source} has the header "${line.slice(0, 80)}"; expected the columns emotion, pixels and Usage of fer2013.csv`,
    );
  }
  return columns;
}

function parseRow(line: string, columns: { emotion: number; pixels: number; usage: number; count: number }) {
  const fields = splitFields(line);
  if (fields.length !== columns.count) return `expected ${columns.count} fields, found ${fields.length}`;
  const emotionText = fields[columns.emotion].trim();
  const emotion = /^\d+$/.test(emotionText) ? Number(emotionText) : -1;
  if (emotion < 0 || emotion >= FER2013_CLASSES.length) {
    return `unknown emotion "${emotionText}"; expected 0-${FER2013_CLASSES.length - 1}`;
  }
  const usage = fields[columns.usage].trim();
  if (!(usage in FER2013_USAGE_SPLITS)) {
    return `unknown Usage "${usage}"; expected ${Object.keys(FER2013_USAGE_SPLITS).join(", ")}`;
  }
  const pixels = parsePixels(fields[columns.pixels]);
  if (typeof pixels === "string") return pixels;
  return { emotion, usage, pixels };
}

/** Parses space-separated integers 0-255 into exactly 2304 bytes, without building 2304 strings. */
function parsePixels(text: string): Uint8Array | string {
  const pixels = new Uint8Array(PIXELS);
  let count = 0;
  let value = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (code >= 48 && code <= 57) {
      value = value < 0 ? code - 48 : value * 10 + code - 48;
      if (value > 255) return `pixel value ${count + 1} is above 255`;
    } else if (code === 32 || code === 9) {
      if (value >= 0) {
        if (count < PIXELS) pixels[count] = value;
        count++;
        value = -1;
      }
    } else {
      return `pixel value ${count + 1} has the character "${text[i]}"; expected integers 0-255 separated by spaces`;
    }
  }
  return count === PIXELS ? pixels : `expected ${PIXELS} pixel values, found ${count}`;
}

/** Splits on commas; fer2013.csv has no quoted commas, but fields may be wrapped in quotes. */
function splitFields(line: string): string[] {
  return line.split(",").map((field) => field.replace(/^\s*"(.*)"\s*$/, "$1"));
}

async function writePng(pixels: Uint8Array, path: string): Promise<void> {
  const png = await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 1 } }).toColourspace("b-w").png().toBuffer();
  await writeFile(path, png);
}
