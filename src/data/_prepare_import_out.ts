/**
 * Makes the output folder of an import ready, refusing to mix datasets.
 *
 * @module
 */
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ConfigError } from "../core/errors.ts";

/**
 * Creates `out`, or checks it is an empty folder. A non-empty folder is
 * emptied only with `overwrite`, and never when it contains the source (that
 * would delete the data being imported) or lies inside a source folder.
 *
 * @param out Output folder.
 * @param options The import `source` and the `overwrite` flag.
 * @returns Resolves when `out` exists and is empty.
 * @throws {ConfigError} When `out` is a file, is non-empty without `overwrite`, or overlaps the source.
 * @example
 * ```ts
 * await prepareImportOut("data/fer2013", { source: "fer2013.csv", overwrite: false });
 * ```
 */
export async function prepareImportOut(out: string, options: { source: string; overwrite: boolean }): Promise<void> {
  const absoluteOut = resolve(out);
  const absoluteSource = resolve(options.source);
  if (isInside(absoluteSource, absoluteOut) || isInside(absoluteOut, absoluteSource)) {
    throw new ConfigError(
      `Output folder ${out} and source ${options.source} overlap; choose an output folder outside the source`,
    );
  }
  let entries: string[] | undefined;
  try {
    const info = await stat(out);
    if (!info.isDirectory()) throw new ConfigError(`Output path ${out} is a file; pass a folder path to --out`);
    entries = await readdir(out);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
  }
  if (entries && entries.length > 0) {
    if (!options.overwrite) {
      throw new ConfigError(
        `Output folder ${out} is not empty (${entries.length} entries); choose a new folder, ` +
          "or pass overwrite: true (--overwrite) to delete its contents and import again",
      );
    }
    await rm(out, { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
}

/** True when `inner` is `outer` or lies below it. */
function isInside(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path === "" || (path.split(sep)[0] !== ".." && !isAbsolute(path));
}
