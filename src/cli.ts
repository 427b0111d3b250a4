/**
 * The workbench's one entry point: `deno task fer <command>`
 * (`deno run -A src/cli.ts <command>`).
 *
 * Each command group lives in its own module under src/cli/ and is listed in
 * {@linkcode COMMANDS}; adding `run`, `eval` or `compare` is one import and one
 * entry. Errors the user can fix (ConfigError, DatasetError, BackendError)
 * print their message without a stack and exit with status 1.
 *
 * @module
 */
import { tmpdir } from "node:os";
import process from "node:process";
import { BackendError, ConfigError, DatasetError, DiskFullError, RunError } from "./core/errors.ts";
import type { CliCommand, CliIo } from "./cli/cli_command.ts";
import { checkEnvironment, ENVIRONMENT_VARIABLES } from "./cli/check_environment.ts";
import { compareCommand } from "./cli/compare_command.ts";
import { dataCommand } from "./cli/data_command.ts";
import { evalCommand } from "./cli/eval_command.ts";
import { listCommand } from "./cli/list_command.ts";
import { rerunCommand } from "./cli/rerun_command.ts";
import { resumeCommand } from "./cli/resume_command.ts";
import { robustnessCommand } from "./cli/robustness_command.ts";
import { cardCommand } from "./cli/card_command.ts";
import { fairnessCommand } from "./cli/fairness_command.ts";
import { runCommand } from "./cli/run_command.ts";
import { safeWriter } from "./cli/safe_output.ts";
import { showCommand } from "./cli/show_command.ts";
import { videoCommand } from "./cli/video_command.ts";
import { detectCommand } from "./cli/detect_command.ts";
import { liveCommand } from "./cli/live_command.ts";
import { sweepCommand } from "./cli/sweep_command.ts";

/** Every top-level command, by name, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, CliCommand>> = {
  run: runCommand,
  rerun: rerunCommand,
  resume: resumeCommand,
  eval: evalCommand,
  compare: compareCommand,
  list: listCommand,
  show: showCommand,
  robustness: robustnessCommand,
  fairness: fairnessCommand,
  card: cardCommand,
  data: dataCommand,
  video: videoCommand,
  detect: detectCommand,
  live: liveCommand,
  sweep: sweepCommand,
};

/**
 * The top-level `--help` text: usage and one line per command.
 *
 * @returns The text, ending in a newline.
 * @example
 * ```ts
 * console.assert(topLevelHelp().includes("data"));
 * ```
 */
export function topLevelHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    "Usage: deno task fer <command> [options]",
    "",
    "FER Workbench: facial emotion recognition experiments.",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    "",
    "Environment:",
    ...Object.entries(ENVIRONMENT_VARIABLES).map(([name, text]) => `  ${name.padEnd(width + 6)}  ${text}`),
    "",
    "Run deno task fer <command> --help for more.",
    "",
  ].join("\n");
}

/**
 * Runs the CLI on `args` and returns the exit code instead of exiting, so
 * tests and notebooks can call it.
 *
 * @param args Arguments after `src/cli.ts`.
 * @param io Output streams and environment. @default the process's stdout, stderr and environment
 * @returns 0 on success, 1 on an error or a usage mistake.
 * @example
 * ```ts
 * const code = await main(["--help"]);
 * console.assert(code === 0);
 * ```
 */
export async function main(args: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(topLevelHelp());
    return name === undefined ? 1 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (!command) {
      throw new ConfigError(`Unknown command "${name}"; known: ${Object.keys(COMMANDS).join(", ")} (run deno task fer --help)`);
    }
    checkEnvironment(io.env ?? {});
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatasetError || error instanceof BackendError || error instanceof RunError || error instanceof DiskFullError) {
      io.err(`${error.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// A failed write (a reader that went away) is dropped, never thrown: see safe_output.ts.
function processIo(): CliIo {
  const stdout = safeWriter(process.stdout);
  const stderr = safeWriter(process.stderr);
  return {
    out: (text) => stdout.write(text),
    err: (text) => stderr.write(text),
    env: { ...process.env },
  };
}

if (import.meta.main) {
  // Deno's WebGPU (wgpu) prints "error: XDG_RUNTIME_DIR is invalid" while
  // probing adapters on machines without a desktop session, which reads like
  // a failure of ours; a private temporary folder satisfies it.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
  process.exitCode = await main(process.argv.slice(2));
}
