/**
 * The CLI called in this process, its output collected: what most command
 * tests need (the reliability tests that pin signals and exit codes start it
 * as a real process instead, see reliability/_cli_process.ts).
 *
 * @module
 */
import { main } from "../src/cli.ts";

/** What one call printed and returned. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `fer <args>` with `env` as its whole environment (FER_RESULTS, FER_CACHE...).
 *
 * @param args The command line after `fer`.
 * @param env The environment the command reads.
 * @returns Its exit code and what it wrote to stdout and stderr.
 */
export async function callCli(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CliResult> {
  let out = "", err = "";
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), env });
  return { code, out, err };
}
