/**
 * What the sweep asks of an engine (local child processes, or a Ray
 * cluster): run one attempt of a trial and say how it ended.
 *
 * @module
 */

/** One attempt of a trial, as the sweep hands it to an engine. */
export interface TrialLaunch {
  /** The trial's key (`t001-seed1`). */
  key: string;
  /** The trial's run config file (absolute; in the sweep folder under the results root). */
  configPath: string;
  /** Where the attempt's output goes (absolute). */
  logPath: string;
  /** Attempt number, from 1. */
  attempt: number;
  /** What one trial needs (Ray reserves it). */
  resources: { cpus: number; gpus: number };
  /** A job this sweep submitted earlier and did not see finish: follow it instead of submitting again. */
  existingJobId?: string;
  /**
   * The run an earlier attempt left unfinished with its training checkpoint:
   * go on with it (`fer resume <run id>`) instead of training the config afresh.
   */
  resumeRunId?: string;
  /**
   * Seconds left of the sweep's time budget: the trial's training stops
   * cleanly after the epoch the next one would end past it (`--time-budget`),
   * keeping its checkpoint for the next invocation. Absent: no limit.
   */
  timeBudgetSeconds?: number;
  /**
   * When the sweep's time budget ends, on the wall clock (ISO 8601, UTC): for
   * an engine whose trials may wait in a queue before they start (Ray), which
   * passes it as `--until` so that a trial gets what is left when it starts.
   * Given with `timeBudgetSeconds`.
   */
  deadline?: string;
}

/**
 * The `fer` arguments of an attempt, the same on every engine: `run <config>`,
 * or `resume <run id>` for a run an earlier attempt left with its checkpoint;
 * the sweep's time budget, as the seconds left (whole, at least 1) for a trial
 * that starts at once, or as its end on the clock (`--until`) for one that may
 * wait in a queue first; no image plots.
 *
 * @param launch The attempt.
 * @param budgetAs `seconds` (`--time-budget`) or `deadline` (`--until`; `seconds` when the launch has no deadline).
 * @returns Arguments after `fer`.
 * @example
 * ```ts
 * trialCommand({ key: "t001-seed1", configPath: "/r/t.json", logPath: "/r/t.log", attempt: 1, resources: { cpus: 1, gpus: 0 } });
 * // ["run", "/r/t.json", "--no-images"]
 * ```
 */
export function trialCommand(launch: TrialLaunch, budgetAs: "seconds" | "deadline" = "seconds"): string[] {
  const command = launch.resumeRunId ? ["resume", launch.resumeRunId] : ["run", launch.configPath];
  const budget = launch.timeBudgetSeconds === undefined
    ? []
    : budgetAs === "deadline" && launch.deadline !== undefined
    ? ["--until", launch.deadline]
    : ["--time-budget", `${Math.max(1, Math.ceil(launch.timeBudgetSeconds))}s`];
  return [...command, ...budget, "--no-images"];
}

/** Where an attempt runs, reported as soon as it is known. */
export interface TrialPlacement {
  jobId: string | null;
  node: string | null;
}

/** How an attempt ended. */
export interface TrialAttempt {
  /** The trial's command exited with status 0. */
  ok: boolean;
  /** Stopped by the sweep's interrupt (not counted as a failure). */
  interrupted: boolean;
  /** What happened, for the record (`exit code 1`, `Ray job FAILED: ...`). */
  message: string;
  jobId: string | null;
  node: string | null;
}

/** Runs trials; `local` and `ray` implement it. */
export interface TrialEngine {
  /** `local` or `ray`. */
  name: string;
  /** One line for the terminal: where trials run. */
  description: string;
  /**
   * Runs one attempt; resolves when it has ended (never rejects for a trial
   * that fails: that is `ok: false`).
   *
   * @param launch The attempt.
   * @param options `signal` interrupts the sweep; `onPlacement` is called once the job id or node is known.
   */
  runTrial(launch: TrialLaunch, options: { signal: AbortSignal; onPlacement: (placement: TrialPlacement) => Promise<void> }): Promise<TrialAttempt>;
}
