/**
 * Imports images laid out as `<split>/<class>/<image>` from a zip archive or a folder.
 *
 * @module
 */
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { unzipSync } from "fflate";
import { DatasetError } from "../core/errors.ts";
import { FER2013_CLASSES, SPLITS, type SplitName, SYNTHETIC_MARKER_FILE } from "./classes.ts";
import { type LayoutPlan, planLayout } from "./_plan_layout.ts";
import { mapConcurrent } from "./_map_concurrent.ts";

/** The part of an import summary a tree import fills in. */
export interface TreeImportResult {
  classes: string[];
  counts: Record<SplitName, Record<string, number>>;
  prefix: string;
  skippedClasses: Record<string, number>;
  skippedEntries: { path: string; reason: string }[];
  junk: number;
  /** The source was marked synthetic; the marker was copied. */
  synthetic: boolean;
}

/**
 * Lists the source, plans the layout (refusing unsafe names), then calls
 * `prepareOut` and writes every planned image to `out/<split>/<class>/<file>`.
 * A zip is read into memory (a 35 MB archive is fine); a folder is copied file
 * by file.
 *
 * @param source Zip file or folder.
 * @param options Kind, class filter, output folder and the function that prepares it.
 * @returns Classes, counts and what was skipped.
 * @throws {DatasetError} For an unreadable zip, an unsafe entry, or no image in the layout.
 * @example
 * ```ts
 * const result = await importImageTree("faces.zip", { kind: "zip", out: "data/faces", prepareOut: async () => {} });
 * console.assert(result.counts.train !== undefined);
 * ```
 */
export async function importImageTree(
  source: string,
  options: { kind: "zip" | "folder"; classes?: readonly string[]; out: string; prepareOut: () => Promise<void> },
): Promise<TreeImportResult> {
  let names: string[];
  let copy: (sourceName: string, target: string) => Promise<void>;
  if (options.kind === "zip") {
    const files = readZip(source, await readFile(source));
    names = Object.keys(files);
    copy = (sourceName, target) => writeFile(target, files[sourceName]);
  } else {
    names = await listFiles(source);
    copy = (sourceName, target) => copyFile(join(source, sourceName), target);
  }
  const plan = planLayout(names, { classes: options.classes });
  if (plan.images.length === 0) throw noImages(source, names.length, plan);
  await options.prepareOut();
  const counts: Record<SplitName, Record<string, number>> = { train: {}, validation: {}, test: {} };
  const classes = orderClasses(options.classes ?? [...new Set(plan.images.map((image) => image.className))]);
  for (const split of SPLITS) for (const name of classes) counts[split][name] = 0;
  const folders = [...new Set(plan.images.map((image) => join(options.out, image.split, image.className)))];
  for (const folder of folders) await mkdir(folder, { recursive: true });
  await mapConcurrent(plan.images, async (image) => {
    await copy(image.source, join(options.out, image.split, image.className, image.fileName));
    counts[image.split][image.className]++;
  });
  if (plan.syntheticMarker !== undefined) {
    // Keeps a synthetic set labelled synthetic after the copy.
    await copy(plan.syntheticMarker, join(options.out, SYNTHETIC_MARKER_FILE));
  }
  const { prefix, skippedClasses, skippedEntries, junk } = plan;
  return { classes, counts, prefix, skippedClasses, skippedEntries, junk, synthetic: plan.syntheticMarker !== undefined };
}

function readZip(source: string, bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    // Folder entries end in "/" and carry no data.
    return unzipSync(bytes, { filter: (file) => !file.name.endsWith("/") });
  } catch (error) {
    throw new DatasetError(
      `Zip ${source} cannot be read (${error instanceof Error ? error.message : error}); ` +
        "check that the download is complete, or unzip it and import the folder",
    );
  }
}

/** Every file below `root`, relative, with `/` separators; symbolic links are not followed. */
async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  async function walk(folder: string): Promise<void> {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(relative(root, path).split(sep).join("/"));
    }
  }
  await walk(root);
  return files.sort();
}

/** FER-2013 class order first (it contains the four default classes in their order), then by name. */
function orderClasses(classes: readonly string[]): string[] {
  const rank = (name: string) => {
    const index = FER2013_CLASSES.indexOf(name);
    return index < 0 ? FER2013_CLASSES.length : index;
  };
  return [...classes].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function noImages(source: string, entries: number, plan: LayoutPlan): DatasetError {
  const skipped = Object.entries(plan.skippedClasses).map(([name, n]) => `${name} ${n}`).join(", ");
  const example = plan.skippedEntries[0];
  return new DatasetError(
    `No image to import in ${source} (${entries} entries` +
      (skipped ? `; skipped classes: ${skipped}` : "") +
      (example ? `; e.g. ${example.path}: ${example.reason}` : "") +
      `); expected [wrapping folder/]<${SPLITS.join("|")}>/<class>/<image>`,
  );
}
