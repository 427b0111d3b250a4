/**
 * Writes a file so that readers never see it half-written.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes `data` to a temporary file beside `path`, then renames it over
 * `path`. A rename within one folder is atomic on POSIX file systems, so an
 * interrupted run leaves either the old file or the new one, never a torn one.
 *
 * @param path Destination file.
 * @param data Text or bytes.
 * @returns Resolves when the file is in place.
 * @example
 * ```ts
 * await atomicWrite("results/runs/x/metrics.json", JSON.stringify({ accuracy: 0.8 }));
 * ```
 */
export async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
