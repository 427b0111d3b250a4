/**
 * The folder a command writes its files to (`--out`), made before the work
 * that fills it, so a path that cannot be a folder is refused at once with
 * what to do, not after minutes of work as an uncaught file-system error.
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import { ConfigError } from "../core/errors.ts";

/**
 * Makes `path` (and its parents) when missing.
 *
 * @param path The folder.
 * @param flag The option it came from, named in the error (e.g. "--out").
 * @returns Resolves once the folder exists.
 * @throws {ConfigError} When a file stands at the path or on the way to it, or the folder cannot be made.
 * @example
 * ```ts
 * await makeOutputFolder("results/compare", "--out");
 * ```
 */
export async function makeOutputFolder(path: string, flag: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || code === "EEXIST") {
      throw new ConfigError(`${flag} ${path}: a file stands at that path or on the way to it; give a folder's path (it is made when missing)`);
    }
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
      throw new ConfigError(`${flag} ${path}: cannot make that folder (${code}); give a folder you can write to`);
    }
    throw error;
  }
}
