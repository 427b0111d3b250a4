/**
 * Finds the image files of a dataset laid out as `<root>/<split>/<class>/<image>`.
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { extname, join } from "node:path";
import { DatasetError } from "../core/errors.ts";
import { pathExists } from "./path_exists.ts";
import { DEFAULT_CLASSES, IMAGE_EXTENSIONS, SPLITS, type SplitName } from "./classes.ts";

/** One image file found on disk. */
export interface ImageEntry {
  /** Path relative to the dataset root, with `/` separators: `train/happy/1.jpg`. */
  relativePath: string;
  /** Index into the dataset's class list. */
  label: number;
}

/** What {@linkcode discoverDataset} found. */
export interface DatasetListing {
  /** The root as given. */
  root: string;
  /** Class names in label order. */
  classes: string[];
  /** Image entries per split present on disk, sorted by path. Absent splits are missing keys. */
  splits: Partial<Record<SplitName, ImageEntry[]>>;
  /** Folders under a split that are not in the class list (`train/angry`), skipped. */
  skippedClassFolders: { path: string; files: number }[];
  /** Files under a class folder whose extension is not an image type, skipped. */
  skippedFiles: string[];
}

/** Options for {@linkcode discoverDataset}. */
export interface DiscoverOptions {
  /** Class names in label order. @default DEFAULT_CLASSES */
  classes?: readonly string[];
}

/**
 * Lists the images of a dataset root, per split and class.
 *
 * Classes come from `options.classes`, never from the folders, so the label
 * order is fixed by the config. Class folders not in the list are skipped and
 * reported; a class in the list with no folder simply has no images.
 *
 * @param root Dataset root holding `train/`, and optionally `validation/` and `test/`.
 * @param options See {@linkcode DiscoverOptions}.
 * @returns The listing, files sorted by relative path.
 * @throws {DatasetError} When the root is missing, has no split folder, or holds no image.
 * @example
 * ```ts
 * const listing = await discoverDataset("../shared/data/facial_emotion_images");
 * console.assert(listing.splits.test?.length === 128);
 * ```
 */
export async function discoverDataset(
  root: string,
  options: DiscoverOptions = {},
): Promise<DatasetListing> {
  const classes = [...(options.classes ?? DEFAULT_CLASSES)];
  await checkRoot(root);
  const listing: DatasetListing = { root, classes, splits: {}, skippedClassFolders: [], skippedFiles: [] };
  for (const split of SPLITS) {
    const splitDir = join(root, split);
    if (!(await pathExists(splitDir, { kind: "directory" }))) continue;
    const entries: ImageEntry[] = [];
    for (const folder of (await readdir(splitDir)).sort()) {
      if (!(await pathExists(join(splitDir, folder), { kind: "directory" }))) continue;
      const label = classes.indexOf(folder);
      const names = (await readdir(join(splitDir, folder))).sort();
      if (label < 0) {
        listing.skippedClassFolders.push({ path: `${split}/${folder}`, files: names.length });
        continue;
      }
      for (const name of names) {
        const relativePath = `${split}/${folder}/${name}`;
        if (isImageName(name)) entries.push({ relativePath, label });
        else listing.skippedFiles.push(relativePath);
      }
    }
    listing.splits[split] = entries.sort((a, b) => compare(a.relativePath, b.relativePath));
  }
  if (Object.keys(listing.splits).length === 0) {
    throw new DatasetError(
      `Dataset root ${root} has no split folder; expected ${SPLITS.join(", ")} holding one folder per class`,
    );
  }
  const total = Object.values(listing.splits).reduce((n, e) => n + e.length, 0);
  if (total === 0) {
    throw new DatasetError(
      `Dataset root ${root} holds no image of the classes ${classes.join(", ")}; ` +
        `expected <split>/<class>/<image>.{${IMAGE_EXTENSIONS.join(",")}}`,
    );
  }
  return listing;
}

/** True when the file name has one of {@linkcode IMAGE_EXTENSIONS} (any case). */
export function isImageName(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).slice(1).toLowerCase());
}

async function checkRoot(root: string): Promise<void> {
  if (!(await pathExists(root, { kind: "directory" }))) {
    throw new DatasetError(
      `Dataset root ${root} does not exist or is not a folder; ` +
        "pass a folder laid out as <split>/<class>/<image>, or import one with: deno task fer data import <zip|csv|folder> --out data/<name>",
    );
  }
}

/** Byte-order comparison, so sorting does not depend on the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
