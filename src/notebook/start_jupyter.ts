/**
 * `deno task jupyter`: registers the Deno kernel and starts JupyterLab (or
 * the classic Notebook) in the project folder; without Jupyter it says how to
 * install it. Extra arguments go to Jupyter (e.g. `--no-browser`).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ensureDenoKernel, JUPYTER_INSTALL_HINT, runCommand } from "./_jupyter_setup.ts";

/**
 * Picks the Jupyter front end to start: "lab" when JupyterLab is installed,
 * else "notebook", else null.
 *
 * @returns The `jupyter` subcommand, or null when neither is installed.
 * @example
 * ```ts
 * const app = await jupyterApp();
 * ```
 */
export async function jupyterApp(): Promise<"lab" | "notebook" | null> {
  if ((await runCommand("jupyter", ["lab", "--version"])).code === 0) return "lab";
  if ((await runCommand("jupyter", ["notebook", "--version"])).code === 0) return "notebook";
  return null;
}

if (import.meta.main) {
  const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
  const app = await jupyterApp();
  if (app === null) {
    console.error(JUPYTER_INSTALL_HINT);
    Deno.exit(1);
  }
  await ensureDenoKernel(console.log);
  console.log(`Starting jupyter ${app} in ${projectRoot}; open notebooks/01_data.ipynb (kernel: Deno)`);
  const child = new Deno.Command("jupyter", {
    args: [app, ...Deno.args],
    cwd: projectRoot,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn();
  Deno.exit((await child.status).code);
}
