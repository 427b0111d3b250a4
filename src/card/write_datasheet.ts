/**
 * Reads what a datasheet needs (the data report and the answers file) and
 * writes datasheet.md and datasheet.json.
 *
 * @module
 */
import { mkdir, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { atomicWrite } from "../core/atomic_write.ts";
import { ConfigError } from "../core/errors.ts";
import { type DataReport, dataReport } from "../data/data_report.ts";
import { pathExists } from "../data/path_exists.ts";
import { buildDatasheet, type Datasheet, type DatasheetAnswers, datasheetMarkdown } from "./datasheet.ts";
import { DATASHEET_ANSWERS_EXTENSIONS, readDatasheetAnswers } from "./read_datasheet_answers.ts";

/** Folder of the shipped answers files, one per dataset folder name (`datasheets/<name>.yaml`, `.yml` or `.json`). */
export const DATASHEET_ANSWERS_FOLDER = "datasheets";

/** Options for {@linkcode prepareDatasheet}. */
export interface PrepareDatasheetOptions {
  /** Answers file (YAML or JSON). @default `datasheets/<root folder name>.yaml`, `.yml` or `.json` under the project root, the first that exists */
  answersPath?: string;
  /** A report.json written by `fer data report`, to skip re-reading the images. @default the data report is made */
  reportPath?: string;
  /** Class names in label order. @default the data report's default */
  classes?: readonly string[];
  /** Project root (for the shipped answers). */
  projectRoot: string;
}

/**
 * The datasheet of a dataset root, and where its answers came from.
 *
 * @param root Dataset root.
 * @param options See {@linkcode PrepareDatasheetOptions}.
 * @returns The datasheet, the answers file used (null for none) and the data report.
 * @throws {ConfigError} When the answers file or report file cannot be read or is wrong.
 * @example
 * ```ts
 * const { sheet } = await prepareDatasheet("../shared/data/facial_emotion_images", { projectRoot: "." });
 * ```
 */
export async function prepareDatasheet(
  root: string,
  options: PrepareDatasheetOptions,
): Promise<{ sheet: Datasheet; answersPath: string | null; report: DataReport }> {
  const report = options.reportPath ? await readJsonFile<DataReport>(options.reportPath, "data report") : await dataReport(root, { classes: options.classes });
  const answersPath = options.answersPath ?? (await shippedAnswers(options.projectRoot, basename(resolve(root))));
  const answers: DatasheetAnswers = answersPath ? await readDatasheetAnswers(answersPath) : {};
  return { sheet: buildDatasheet(report, answers), answersPath, report };
}

/**
 * Writes `datasheet.md` and `datasheet.json` into `outDir`.
 *
 * @param sheet The datasheet.
 * @param outDir Destination folder (created).
 * @returns The two paths.
 * @example
 * ```ts
 * const files = await writeDatasheet(sheet, "results/datasheets/facial_emotion_images");
 * ```
 */
export async function writeDatasheet(sheet: Datasheet, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const md = join(outDir, "datasheet.md"), json = join(outDir, "datasheet.json");
  await atomicWrite(md, datasheetMarkdown(sheet));
  await atomicWrite(json, JSON.stringify(sheet, null, 2) + "\n");
  return [md, json];
}

async function shippedAnswers(projectRoot: string, name: string): Promise<string | null> {
  for (const extension of DATASHEET_ANSWERS_EXTENSIONS) {
    const path = join(projectRoot, DATASHEET_ANSWERS_FOLDER, name + extension);
    if (await pathExists(path)) return path;
  }
  return null;
}

async function readJsonFile<T>(path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read the ${what} file ${path} (${(error as Error).message}); check the path`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ConfigError(`The ${what} file ${path} is not valid JSON (${(error as Error).message}); fix it or write a new one`);
  }
}
