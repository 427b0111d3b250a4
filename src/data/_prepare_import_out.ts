/**
 * The output folder of an import: checked before anything is written, filled
 * in a staging folder beside it, and swapped into place only when the import
 * has succeeded, so a bad source never costs the existing dataset.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from "node:path";
import { ConfigError } from "../core/errors.ts";
import { SPLITS, SYNTHETIC_MARKER_FILE } from "./classes.ts";

/**
 * Checks that `out` may receive an import, without changing anything.
 * Refused always: a file, a folder overlapping the source, the current
 * folder or one above it (`--out .`, the project root), the home folder and
 * the file-system root. A non-empty folder needs `overwrite`; one that does
 * not look like a dataset (entries other than train/, validation/, test/,
 * the synthetic marker, README files and dot-files) also needs `force`.
 *
 * @param out Output folder.
 * @param options The import `source`, `overwrite` and `force`.
 * @returns Resolves when `out` may be replaced.
 * @throws {ConfigError} Saying what was found and how to proceed.
 * @example
 * ```ts
 * await checkImportOut("data/fer2013", { source: "fer2013.csv", overwrite: false, force: false });
 * ```
 */
export async function checkImportOut(out: string, options: { source: string; overwrite: boolean; force: boolean }): Promise<void> {
  const absoluteOut = resolve(out);
  const absoluteSource = resolve(options.source);
  if (isInside(resolve("."), absoluteOut) || absoluteOut === resolve(homedir()) || absoluteOut === parse(absoluteOut).root) {
    throw new ConfigError(
      `Output folder ${out} is ${absoluteOut === parse(absoluteOut).root ? "the file-system root" : absoluteOut === resolve(homedir()) ? "the home folder" : "the current folder or one above it"}; ` +
        "an import never replaces it: pass a new folder such as --out data/fer2013",
    );
  }
  if (isInside(absoluteSource, absoluteOut) || isInside(absoluteOut, absoluteSource)) {
    throw new ConfigError(
      `Output folder ${out} and source ${options.source} overlap; choose an output folder outside the source`,
    );
  }
  let entries: string[];
  try {
    const info = await stat(out);
    if (!info.isDirectory()) throw new ConfigError(`Output path ${out} is a file; pass a folder path to --out`);
    entries = await readdir(out);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return; // does not exist yet
  }
  if (entries.length === 0) return;
  if (!options.overwrite) {
    throw new ConfigError(
      `Output folder ${out} is not empty (${entries.length} entries); choose a new folder, ` +
        "or pass overwrite: true (--overwrite) to replace it once the import has succeeded",
    );
  }
  const foreign = entries.filter((name) => !looksLikeDatasetEntry(name));
  if (foreign.length > 0 && !options.force) {
    throw new ConfigError(
      `Output folder ${out} does not look like a dataset: it holds ${foreign.slice(0, 5).map((n) => `"${n}"`).join(", ")}` +
        `${foreign.length > 5 ? ` and ${foreign.length - 5} more` : ""} besides train/, validation/ and test/; ` +
        "--overwrite would delete them: choose another folder, or add force: true (--force) if they may go",
    );
  }
}

function looksLikeDatasetEntry(name: string): boolean {
  return (SPLITS as readonly string[]).includes(name) || name === SYNTHETIC_MARKER_FILE || name.startsWith(".") || /^readme/i.test(name);
}

/**
 * Makes an empty staging folder beside `out` (same file system, so the final
 * rename is atomic) for the import to write into.
 *
 * @param out Output folder.
 * @returns The staging folder's path.
 * @example
 * ```ts
 * const staging = await makeImportStaging("data/fer2013");
 * ```
 */
export async function makeImportStaging(out: string): Promise<string> {
  const absoluteOut = resolve(out);
  await mkdir(dirname(absoluteOut), { recursive: true });
  const staging = join(dirname(absoluteOut), `.${basename(absoluteOut)}.importing-${randomBytes(4).toString("hex")}`);
  await mkdir(staging);
  return staging;
}

/**
 * Puts a finished staging folder in place of `out`: the old folder, if any,
 * is renamed aside, the staging folder renamed to `out`, then the old one
 * removed. If the swap fails the old folder is put back.
 *
 * @param staging From {@linkcode makeImportStaging}, holding the finished import.
 * @param out Output folder.
 * @returns Resolves when `out` holds the import.
 * @example
 * ```ts
 * await swapImportIn(staging, "data/fer2013");
 * ```
 */
export async function swapImportIn(staging: string, out: string): Promise<void> {
  const absoluteOut = resolve(out);
  const aside = `${staging}.old`;
  let moved = false;
  try {
    await rename(absoluteOut, aside);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    await rename(staging, absoluteOut);
  } catch (error) {
    if (moved) await rename(aside, absoluteOut);
    throw error;
  }
  if (moved) await rm(aside, { recursive: true, force: true });
}

/** True when `inner` is `outer` or lies below it. */
function isInside(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path === "" || (path.split(sep)[0] !== ".." && !isAbsolute(path));
}
