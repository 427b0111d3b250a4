/**
 * The shape of a CLI command, and how a command group dispatches to its subcommands.
 *
 * @module
 */
import process from "node:process";
import { ConfigError } from "../core/errors.ts";

/** Where a command writes; the entry point passes the process's streams, tests pass collectors. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  out(text: string): void;
  /** Writes text to standard error (no newline added). */
  err(text: string): void;
  /**
   * Environment variables, read once by src/cli.ts (the only module that may
   * read them) and passed down; absent in tests that do not set any.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where a long command's progress goes: standard error, as a counter rewritten in place on a terminal, whole lines in a log. */
export interface ProgressOutput {
  /** True when standard error is a terminal (a counter is rewritten in place; else a line now and then). */
  interactive: boolean;
  /** Writes text as it is (a counter's `\r` updates). */
  write(text: string): void;
  /** Writes one line. */
  log(line: string): void;
}

/**
 * A command's progress output on its standard error (see passProgress and the training's progress bar).
 *
 * @param io The command's streams.
 * @returns Where its progress goes.
 * @example
 * ```ts
 * const onProgress = passProgress("Predicting validation", progressOutput(io));
 * ```
 */
export function progressOutput(io: Pick<CliIo, "err">): ProgressOutput {
  return { interactive: process.stderr.isTTY === true, write: (text) => io.err(text), log: (line) => io.err(`${line}\n`) };
}

/** One command or command group of `deno task fer`. */
export interface CliCommand {
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /**
   * Runs the command.
   *
   * @param args Arguments after the command name.
   * @param io Output streams.
   * @returns The exit code.
   */
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * Makes a command group (`data import|report|synth`) that dispatches on its
 * first argument, prints its help for `--help` or no argument, and names the
 * known subcommands when the one given is unknown.
 *
 * @param name The group's name, for messages (`data`).
 * @param options `summary` line and the `subcommands` map.
 * @returns The group as a {@linkcode CliCommand}.
 * @throws {ConfigError} From `run`, for an unknown subcommand.
 * @example
 * ```ts
 * const group = commandGroup("data", { summary: "Datasets", subcommands: { synth: synthCommand } });
 * console.assert(group.help.includes("synth"));
 * ```
 */
export function commandGroup(
  name: string,
  options: { summary: string; subcommands: Record<string, CliCommand> },
): CliCommand {
  const { summary, subcommands } = options;
  const width = Math.max(...Object.keys(subcommands).map((key) => key.length));
  const help = [
    `Usage: deno task fer ${name} <command> [options]`,
    "",
    summary,
    "",
    "Commands:",
    ...Object.entries(subcommands).map(([key, command]) => `  ${key.padEnd(width)}  ${command.summary}`),
    "",
    `Run deno task fer ${name} <command> --help for the options of one command.`,
    "",
  ].join("\n");
  return {
    summary,
    help,
    async run(args, io) {
      const [sub, ...rest] = args;
      if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
        io.out(help);
        return sub === undefined ? 1 : 0;
      }
      const command = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
      if (!command) {
        throw new ConfigError(
          `Unknown command "${name} ${sub}"; known: ${Object.keys(subcommands).map((key) => `${name} ${key}`).join(", ")}`,
        );
      }
      return await command.run(rest, io);
    },
  };
}
