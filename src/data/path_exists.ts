/**
 * Whether a path exists, without throwing.
 *
 * @module
 */
import { stat } from "node:fs/promises";

/**
 * Checks a path.
 *
 * @param path File or folder.
 * @param options `kind: "directory"` also requires it to be a folder.
 * @returns True when it exists (and is a folder, if asked).
 * @example
 * ```ts
 * console.assert(await pathExists("src", { kind: "directory" }));
 * ```
 */
export async function pathExists(path: string, options: { kind?: "any" | "directory" } = {}): Promise<boolean> {
  try {
    const info = await stat(path);
    return options.kind === "directory" ? info.isDirectory() : true;
  } catch {
    return false;
  }
}
