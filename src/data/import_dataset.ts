/**
 * Imports a dataset into the workbench layout `<out>/<split>/<class>/<image>`
 * from a zip archive, FER-2013's `fer2013.csv`, or a folder.
 *
 * @module
 */
import { open, rm, stat } from "node:fs/promises";
import { extname } from "node:path";
import { ConfigError, DatasetError } from "../core/errors.ts";
import { FER2013_CLASSES, SPLITS, type SplitName } from "./classes.ts";
import { importFer2013Csv } from "./_import_fer2013_csv.ts";
import { importImageTree } from "./_import_image_tree.ts";
import { checkImportOut, makeImportStaging, swapImportIn } from "./_prepare_import_out.ts";

/** Where a dataset comes from. */
export type ImportKind = "zip" | "csv" | "folder";

/** Options for {@linkcode importDataset}. */
export interface ImportOptions {
  /** Folder to create; must be missing or empty unless `overwrite`. */
  out: string;
  /** Keep only these classes; others are skipped and counted. @default every class found (csv: FER-2013's seven) */
  classes?: readonly string[];
  /** Source type. @default from the source: a folder, a file starting with the zip signature, or a `.csv` file */
  kind?: ImportKind;
  /** Replace a non-empty `out` (once the import has succeeded; a failed import leaves it as it was). @default false */
  overwrite?: boolean;
  /** With `overwrite`, also replace a folder that does not look like a dataset (entries besides train/, validation/, test/). @default false */
  force?: boolean;
}

/** What {@linkcode importDataset} wrote and left out. */
export interface ImportSummary {
  source: string;
  out: string;
  kind: ImportKind;
  /** Classes written (or kept but absent), FER-2013 order first, then by name. */
  classes: string[];
  /** Images written per split and class. */
  counts: Record<SplitName, Record<string, number>>;
  total: number;
  /** Wrapping folders stripped from archive or folder entries, e.g. `Facial_emotion_images/`. */
  prefix: string;
  /** Images of classes outside `classes`, by class. */
  skippedClasses: Record<string, number>;
  /** Archive or folder entries that are not images at `<split>/<class>/<file>`. */
  skippedEntries: { path: string; reason: string }[];
  /** Operating-system clutter ignored (`__MACOSX/`, `.DS_Store`, ...). */
  junk: number;
  /** csv rows skipped, by line number (the header is line 1). */
  malformedRows: { line: number; reason: string }[];
  /** The source carried the synthetic marker, and so does `out`. */
  synthetic: boolean;
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/**
 * Imports a dataset. A zip holds the folder layout, possibly under wrapping
 * folders (stripped) and with clutter such as `__MACOSX/` (ignored); entries
 * with `..` or absolute paths are refused before anything is written. A
 * `fer2013.csv` becomes one PNG per row (Training -> train, PublicTest ->
 * validation, PrivateTest -> test). A folder is copied.
 *
 * @param source Zip file, csv file or folder.
 * @param options See {@linkcode ImportOptions}.
 * @returns The summary.
 * @throws {ConfigError} On a non-empty `out` without `overwrite`, an unknown kind or csv class, or overlapping paths.
 * @throws {DatasetError} When the source is missing, unreadable, unsafe or holds no image in the layout.
 * @example
 * ```ts
 * const summary = await importDataset("Facial_emotion_images.zip", { out: "data/facial_emotion_images" });
 * console.assert(summary.counts.test.happy === 32);
 * ```
 */
export async function importDataset(source: string, options: ImportOptions): Promise<ImportSummary> {
  const kind = await detectKind(source, options.kind);
  if (!["zip", "csv", "folder"].includes(kind)) {
    throw new ConfigError(`Unknown import kind "${kind}"; known: zip, csv, folder`);
  }
  const summary: ImportSummary = {
    source,
    out: options.out,
    kind,
    classes: [],
    counts: { train: {}, validation: {}, test: {} },
    total: 0,
    prefix: "",
    skippedClasses: {},
    skippedEntries: [],
    junk: 0,
    malformedRows: [],
    synthetic: false,
  };
  // Checked before anything is written; the import fills a staging folder
  // that replaces options.out only once it has succeeded.
  await checkImportOut(options.out, { source, overwrite: options.overwrite ?? false, force: options.force ?? false });
  const classes = kind === "csv" ? checkCsvClasses(options.classes) : undefined;
  const staging = await makeImportStaging(options.out);
  try {
    if (classes !== undefined) {
      const result = await importFer2013Csv(source, { out: staging, classes });
      Object.assign(summary, { classes: [...classes], ...result });
    } else {
      const result = await importImageTree(source, {
        kind: kind as "zip" | "folder",
        classes: options.classes,
        prepareOut: async () => {},
        out: staging,
      });
      Object.assign(summary, result);
    }
    summary.total = SPLITS.reduce((n, split) => n + Object.values(summary.counts[split]).reduce((a, b) => a + b, 0), 0);
    if (summary.total === 0) {
      const skipped = Object.entries(summary.skippedClasses).map(([name, n]) => `${name} ${n}`).join(", ");
      throw new DatasetError(
        `No image of the kept classes in ${source}` + (skipped ? ` (skipped classes: ${skipped})` : "") +
          (summary.malformedRows.length ? ` (${summary.malformedRows.length} malformed rows, first at line ${summary.malformedRows[0].line}: ${summary.malformedRows[0].reason})` : "") +
          `; check the classes option and the source (${options.out} was left as it was)`,
      );
    }
    await swapImportIn(staging, options.out);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return summary;
}

function checkCsvClasses(classes: readonly string[] | undefined): readonly string[] {
  for (const name of classes ?? []) {
    if (!FER2013_CLASSES.includes(name)) {
      throw new ConfigError(`Unknown class "${name}" for fer2013.csv; known: ${FER2013_CLASSES.join(", ")}`);
    }
  }
  return classes ?? FER2013_CLASSES;
}

async function detectKind(source: string, given: ImportKind | undefined): Promise<ImportKind> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(source)).isDirectory();
  } catch {
    throw new DatasetError(`Import source ${source} does not exist; pass a .zip, a fer2013.csv or a dataset folder`);
  }
  if (given !== undefined) return given;
  if (isDirectory) return "folder";
  const handle = await open(source, "r");
  const head = new Uint8Array(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (ZIP_SIGNATURE.every((byte, i) => head[i] === byte)) return "zip";
  if (extname(source).toLowerCase() === ".csv") return "csv";
  throw new DatasetError(
    `Import source ${source} is neither a zip archive (no PK signature) nor a .csv file nor a folder; ` +
      "pass one of those, or name the kind with kind: zip|csv|folder",
  );
}
