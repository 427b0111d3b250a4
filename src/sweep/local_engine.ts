/**
 * The local engine: each trial is `deno task fer run <trial config>` in a
 * child process on this machine (run as the command that task expands to,
 * `deno run -A src/cli.ts run ...`, with this process's Deno, so it does not
 * depend on how a shell finds `deno`), its output written to the trial's log.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { trialCommand, type TrialEngine } from "./trial_engine.ts";

/** Options of {@linkcode localEngine}. */
export interface LocalEngineOptions {
  /** The checkout whose `deno task fer` runs the trials (the working directory of each child). */
  projectRoot: string;
  /** The Deno executable. */
  denoPath: string;
  /** The children's environment (FER_RESULTS is set to the sweep's results root). */
  env: Readonly<Record<string, string | undefined>>;
  /** Results root every trial writes its run folder to. */
  resultsRoot: string;
}

/**
 * Makes the local engine. A trial's exit status decides `ok`; on the
 * sweep's interrupt the child gets SIGINT and saves its run as interrupted
 * (a trial's own Ctrl-C handling), and the attempt is reported interrupted.
 *
 * @param options See {@linkcode LocalEngineOptions}.
 * @returns The engine.
 * @example
 * ```ts
 * const engine = localEngine({ projectRoot: Deno.cwd(), denoPath: Deno.execPath(), env: {}, resultsRoot: "results" });
 * console.assert(engine.name === "local");
 * ```
 */
export function localEngine(options: LocalEngineOptions): TrialEngine {
  return {
    name: "local",
    description: `local child processes (deno task fer run) in ${options.projectRoot}`,
    async runTrial(launch, { signal, onPlacement }) {
      await mkdir(dirname(launch.logPath), { recursive: true });
      await onPlacement({ jobId: null, node: "local" });
      const log = createWriteStream(launch.logPath);
      const args = ["run", "-A", "src/cli.ts", ...trialCommand(launch)];
      log.write(`$ ${options.denoPath} ${args.join(" ")}\n`);
      const env = { ...options.env, FER_RESULTS: options.resultsRoot } as Record<string, string>;
      const result = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
        const child = spawn(options.denoPath, args, { cwd: options.projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
        child.stdout.pipe(log, { end: false });
        child.stderr.pipe(log, { end: false });
        const onAbort = () => child.kill("SIGINT");
        signal.addEventListener("abort", onAbort, { once: true });
        child.on("error", (error) => resolve({ code: null, signal: null, error }));
        child.on("close", (code, childSignal) => {
          signal.removeEventListener("abort", onAbort);
          resolve({ code, signal: childSignal });
        });
      });
      await new Promise<void>((resolve) => log.end(resolve));
      const message = result.error
        ? `could not start ${options.denoPath}: ${result.error.message}`
        : result.code === 0
        ? "exit code 0"
        : result.signal
        ? `killed by ${result.signal}`
        : `exit code ${result.code}`;
      return { ok: result.code === 0, interrupted: signal.aborted, message, jobId: null, node: "local" };
    },
  };
}
