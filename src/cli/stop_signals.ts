/**
 * Ctrl-C and SIGTERM for a command that works for minutes (a run, a sweep, a
 * video, a robustness suite, an evaluation): the first signal asks the work
 * to stop at its next safe point, so that what it saves stays consistent; a
 * second one exits at once. Every long command goes through
 * {@linkcode untilStopped}, so they all answer a signal the same way.
 *
 * @module
 */
import type { CliIo } from "./cli_command.ts";
import { takeTerminalForeground } from "./take_terminal_foreground.ts";

/** The signals that stop a command cleanly (Ctrl-C, and `kill` or a service manager). */
export type StopSignal = "SIGINT" | "SIGTERM";

/** Exit status of a command stopped by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

// One Ctrl-C can arrive twice: from the terminal and again from a wrapper
// (npm exec, deno task) that forwards it. A repeat within this many
// milliseconds is the same interrupt, not the "exit at once" one.
const REPEAT_WINDOW_MS = 1000;

/** What {@linkcode untilStopped} says at each signal. */
export interface StopMessages {
  /** What the command does after the first signal (`stopping after the current batch; what is trained so far is saved`). */
  first: string;
  /** What a second signal leaves behind when the command exits at once (`the run folder stays as it is`). */
  second: string;
}

/**
 * Runs `task` while listening for Ctrl-C and SIGTERM. The first signal aborts
 * the task's signal and says `messages.first`; a repeat within a second (the
 * same Ctrl-C forwarded by a wrapper) is ignored; a later one says
 * `messages.second` and exits at once with 130 or 143. The command is made
 * the terminal's only receiver of Ctrl-C meanwhile, so the prompt does not
 * come back while it is still saving (see takeTerminalForeground).
 *
 * @param io Where the messages go (stderr).
 * @param messages What to say at the first and at a second signal.
 * @param task The work, given the signal to stop on and a function that says which signal came, if any.
 * @returns The task's result and the signal that stopped it (null when none came). A task that
 *   rejects rejects this too; the caller tells an abort from a failure by `stoppedBy`.
 * @example
 * ```ts
 * const { result, stoppedBy } = await untilStopped(io, { first: "stopping after this perturbation", second: "nothing was written" },
 *   (signal) => nullIfStopped(runRobustness(run, { ...options, signal }), signal));
 * if (result === null) return SIGNAL_EXIT_CODES[stoppedBy!];
 * ```
 */
export async function untilStopped<T>(
  io: Pick<CliIo, "err">,
  messages: StopMessages,
  task: (signal: AbortSignal, stoppedBy: () => StopSignal | null) => Promise<T>,
): Promise<{ result: T; stoppedBy: StopSignal | null }> {
  const controller = new AbortController();
  let stoppedBy: StopSignal | null = null;
  let firstAt = 0;
  const handBackTerminal = takeTerminalForeground();
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy !== null) {
      if (performance.now() - firstAt < REPEAT_WINDOW_MS) return;
      io.err(`\nSecond interrupt: exiting now; ${messages.second}\n`);
      handBackTerminal();
      process.exit(SIGNAL_EXIT_CODES[signal]);
    }
    stoppedBy = signal;
    firstAt = performance.now();
    io.err(`\n${signal === "SIGINT" ? "Interrupt" : "SIGTERM"}: ${messages.first} (Ctrl-C again to exit at once)\n`);
    controller.abort();
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    const result = await task(controller.signal, () => stoppedBy);
    return { result, stoppedBy };
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    handBackTerminal();
  }
}

/**
 * For work that writes nothing when it is stopped: its result, or null when it rejected because `signal` was
 * aborted (the abort's reason, or whatever the stop interrupted). Other failures still reject.
 *
 * @param work The work, started with `signal`.
 * @param signal The signal it stops on ({@linkcode untilStopped}'s).
 * @returns The result, or null when stopped.
 * @example
 * ```ts
 * const evaluation = await nullIfStopped(evaluateOnDataset(run, root, { cacheDir: null, signal }), signal);
 * ```
 */
export async function nullIfStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  }
}
