/**
 * Finding Jupyter and registering the Deno kernel, shared by the notebook
 * scripts (run_notebooks.ts, start_jupyter.ts).
 *
 * @module
 */
import { existsSync } from "node:fs";

/** How to get what the notebook scripts need. */
export const JUPYTER_INSTALL_HINT = [
  "Jupyter is needed to run the notebooks. Install it, then run this command again:",
  "  Debian/Ubuntu: sudo apt-get install jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel",
  "  or with pip:   pip install jupyterlab nbconvert",
  "The Deno kernel itself comes with npm ci (node_modules/deno); it is registered automatically.",
].join("\n");

/** What running a command gave. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and collects its output; a missing program
 * gives code 127 instead of throwing.
 *
 * @param command Program name or path.
 * @param args Arguments, then options: `cwd`, and `env` added to the inherited environment.
 * @returns Exit code and output.
 * @example
 * ```ts
 * const { code } = await runCommand("jupyter", ["--version"]);
 * ```
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  try {
    const output = await new Deno.Command(command, { args: [...args], cwd: options.cwd, env: options.env, stdin: "null" }).output();
    const decoder = new TextDecoder();
    return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { code: 127, stdout: "", stderr: `${command}: not found` };
    throw error;
  }
}

/**
 * Lists what is missing to execute notebooks: `jupyter` itself, `nbconvert`,
 * `kernelspec` (Debian's jupyter-client package).
 *
 * @returns Names of the missing parts; empty when everything is there.
 * @example
 * ```ts
 * if ((await missingJupyterParts()).length > 0) console.log(JUPYTER_INSTALL_HINT);
 * ```
 */
export async function missingJupyterParts(): Promise<string[]> {
  if ((await runCommand("jupyter", ["--version"])).code !== 0) return ["jupyter"];
  const missing: string[] = [];
  if ((await runCommand("jupyter", ["nbconvert", "--version"])).code !== 0) missing.push("nbconvert");
  if ((await runCommand("jupyter", ["kernelspec", "list", "--json"])).code !== 0) missing.push("kernelspec (jupyter-client)");
  return missing;
}

/**
 * Registers this Deno as the Jupyter kernel "deno" unless a kernel of that
 * name already points at an existing Deno binary.
 *
 * @param log Prints one line for the user.
 * @returns "present" or "installed".
 * @throws Error with Deno's output when registering fails.
 * @example
 * ```ts
 * await ensureDenoKernel(console.log);
 * ```
 */
export async function ensureDenoKernel(log: (line: string) => void): Promise<"present" | "installed"> {
  const listing = await runCommand("jupyter", ["kernelspec", "list", "--json"]);
  if (listing.code === 0) {
    const specs = (JSON.parse(listing.stdout) as { kernelspecs?: Record<string, { spec?: { argv?: string[] } }> }).kernelspecs;
    const binary = specs?.deno?.spec?.argv?.[0];
    if (binary && existsSync(binary)) return "present";
  }
  log(`Registering the Deno kernel for Jupyter (${Deno.execPath()} jupyter --install)`);
  const install = await runCommand(Deno.execPath(), ["jupyter", "--install", "--force"]);
  if (install.code !== 0) {
    throw new Error(`Could not register the Deno kernel (deno jupyter --install exited ${install.code}): ${install.stderr.trim()}`);
  }
  return "installed";
}
