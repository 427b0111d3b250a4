/**
 * `deno task setup:native --undo`: removes what the native setup added.
 *
 * @module
 */
import { rm } from "node:fs/promises";
import { pathExists } from "../data/path_exists.ts";
import { nativeLayout } from "./native_layout.ts";
import { runCommand } from "./run_command.ts";

/**
 * Removes what `setupNative` added: the virtual environment and the
 * tfjs-node package (npm prune then drops its now-unused dependencies).
 *
 * @param projectRoot The checkout's root folder.
 * @param options Flavour and log.
 * @example
 * ```ts
 * await undoNative(Deno.cwd());
 * ```
 */
export async function undoNative(projectRoot: string, options: { gpu?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? console.log;
  const layout = nativeLayout(projectRoot, { gpu: options.gpu ?? false });
  for (const path of [layout.venvDir, layout.packageDir]) {
    if (await pathExists(path)) {
      await rm(path, { recursive: true, force: true });
      log(`Removed ${path}.`);
    } else {
      log(`${path} is not there.`);
    }
  }
  await runCommand("npm", ["prune", "--no-audit", "--no-fund"], { cwd: projectRoot });
  log("The default backends (wasm, webgpu, cpu) are unaffected.");
}
