/**
 * A new folder named for when it was made and what it holds: the one rule for
 * run ids and video-run folders.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileStem } from "./file_stem.ts";

/**
 * Creates `<parent>/<UTC yyyymmdd-hhmmss>-<stem>-<6 hex>`, the stem being
 * `fileStem(name, fallback)`. The folder is made with a non-recursive mkdir,
 * which fails if it exists, so two processes started in the same second never
 * share one: a taken name draws new hex digits, ten times at most.
 *
 * @param parent The folder to create it in (created if missing).
 * @param name A free-text name (a config's, a video file's).
 * @param options `fallback` stands for an empty name; `now` is the time stamped;
 *   `what` names the folder in the error (e.g. "run", "video-run").
 * @returns The new folder's name (`id`) and path (`dir`).
 * @throws {Error} When ten draws all found a folder of that name.
 * @example
 * ```ts
 * const { id } = await createStampedFolder("results/runs", "small cnn", { fallback: "run", now: new Date(0), what: "run" });
 * console.assert(/^19700101-000000-small_cnn-[0-9a-f]{6}$/.test(id));
 * ```
 */
export async function createStampedFolder(
  parent: string,
  name: string,
  options: { fallback: string; now: Date; what: string },
): Promise<{ id: string; dir: string }> {
  await mkdir(parent, { recursive: true });
  const stamp = options.now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const stem = fileStem(name, options.fallback);
  for (let attempt = 0; attempt < 10; attempt++) {
    const id = `${stamp}-${stem}-${randomBytes(3).toString("hex")}`;
    const dir = join(parent, id);
    try {
      await mkdir(dir);
      return { id, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw new Error(`Could not create a unique ${options.what} folder under ${parent} after 10 attempts`);
}
