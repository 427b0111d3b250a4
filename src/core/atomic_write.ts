/**
 * Writes a file so that readers never see it half-written.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { Buffer } from "node:buffer";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { diskFullOr } from "./errors.ts";

/**
 * Writes `data` to a temporary file beside `path`, then renames it over
 * `path`. A rename within one folder is atomic on POSIX file systems, so an
 * interrupted run leaves either the old file or the new one, never a torn one.
 * When the write fails the temporary file is removed; a full disk
 * (ENOSPC, EDQUOT) becomes a DiskFullError naming the folder and the size.
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
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    // A half-written temporary file would keep a full disk full.
    await rm(temporary, { force: true }).catch(() => {});
    throw diskFullOr(error, path, typeof data === "string" ? Buffer.byteLength(data) : data.byteLength);
  }
}
