/**
 * A small argument parser for the CLI: positionals and `--flags`.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** The flags a command accepts: each takes a value (`string`) or is a switch (`boolean`). */
export type FlagSpec = Record<string, "string" | "boolean">;

/** What {@linkcode parseArgs} found. */
export interface ParsedArgs {
  positionals: string[];
  /** Flag values by name, without the dashes; switches are `true` when given. */
  flags: Record<string, string | boolean>;
  /** `--help` or `-h` was given. */
  help: boolean;
}

/**
 * Parses `args` against `flags`. Accepts `--name value`, `--name=value` and
 * switches (`--overwrite`); everything else is positional. `--` ends the flags.
 * Unknown flags, missing values and a wrong number of positionals are usage
 * errors naming the command, so the user knows which `--help` to read.
 *
 * @param args Arguments after the command name.
 * @param spec `command` (for messages, e.g. "data import"), `flags`, and `positionals`: `[min, max]` count.
 * @returns The parse; with `help` set, positionals are not checked.
 * @throws {ConfigError} On an unknown flag, a flag without a value, or a positional count out of range.
 * @example
 * ```ts
 * const parsed = parseArgs(["a.zip", "--out=data/x", "--overwrite"], {
 *   command: "data import", flags: { out: "string", overwrite: "boolean" }, positionals: [1, 1],
 * });
 * console.assert(parsed.flags.out === "data/x" && parsed.flags.overwrite === true);
 * ```
 */
export function parseArgs(
  args: readonly string[],
  spec: { command: string; flags: FlagSpec; positionals: [number, number] },
): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: {}, help: false };
  const hint = `; run deno task fer ${spec.command} --help`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      parsed.positionals.push(arg);
      continue;
    }
    const [rawName, inlineValue] = splitOnce(arg.replace(/^--?/, ""));
    const kind = Object.hasOwn(spec.flags, rawName) ? spec.flags[rawName] : undefined;
    if (kind === undefined) {
      const known = Object.keys(spec.flags).map((name) => `--${name}`).join(", ") || "none";
      throw new ConfigError(`Unknown option ${arg} for ${spec.command}; known: ${known}${hint}`);
    }
    if (kind === "boolean") {
      if (inlineValue !== undefined) throw new ConfigError(`Option --${rawName} takes no value, found "${inlineValue}"${hint}`);
      parsed.flags[rawName] = true;
      continue;
    }
    const value = inlineValue ?? args[++i];
    if (value === undefined || (inlineValue === undefined && value.startsWith("--"))) {
      throw new ConfigError(`Option --${rawName} needs a value${hint}`);
    }
    parsed.flags[rawName] = value;
  }
  const [min, max] = spec.positionals;
  if (!parsed.help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new ConfigError(
      `Command ${spec.command} takes ${expected} argument(s), found ${parsed.positionals.length}` +
        (parsed.positionals.length ? ` (${parsed.positionals.join(" ")})` : "") + hint,
    );
  }
  return parsed;
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf("=");
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
