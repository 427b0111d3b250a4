/**
 * Runs an external program for the native setup, its output shown live, and
 * turns a failure into a BackendError that names the command.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { BackendError } from "../core/errors.ts";

/**
 * Runs `command args...`, streaming its output to this process's.
 *
 * @param command Program name or path.
 * @param args Its arguments.
 * @param options `cwd`; `quiet` captures the output and shows it only on failure.
 * @returns The captured output when quiet, else "".
 * @throws BackendError when the program is missing or exits non-zero.
 * @example
 * ```ts
 * await runCommand("python3", ["-m", "venv", ".native/venv"], { cwd: "." });
 * ```
 */
export function runCommand(command: string, args: string[], options: { cwd: string; quiet?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: options.quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => output += chunk);
    child.stderr?.on("data", (chunk) => output += chunk);
    const shown = [command, ...args].join(" ");
    child.on("error", (error) => {
      reject(new BackendError(`Could not start "${shown}": ${error.message}; install ${command} and run the setup again`));
    });
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new BackendError(`"${shown}" failed with exit code ${code}${output ? `:\n${output.trim()}` : ""}`));
    });
  });
}
