/**
 * `deno task fer sweep <sweep.json>`: runs a sweep of configs and seeds on
 * this machine or on a Ray cluster, and summarises it across seeds.
 *
 * @module
 */
import process from "node:process";
import { ConfigError } from "../core/errors.ts";
import { estimateSweep, sweepEstimateLines } from "../sweep/estimate_sweep.ts";
import { ensembleSweepEstimateLines, estimateEnsembleSweep } from "../sweep/estimate_ensemble_sweep.ts";
import { describeParams, expandTrials, isEnsembleTrial } from "../sweep/expand_trials.ts";
import { localEngine } from "../sweep/local_engine.ts";
import { rayEngine } from "../sweep/ray_engine.ts";
import { rayJobsClient } from "../sweep/ray_jobs_client.ts";
import { readSweepFile } from "../sweep/read_sweep_file.ts";
import { runSweep } from "../sweep/run_sweep.ts";
import { summaryLines } from "../sweep/summarize_sweep.ts";
import { pairedToBestLines } from "../sweep/paired_to_best.ts";
import { sweepDir } from "../sweep/sweep_folder.ts";
import type { TrialEngine } from "../sweep/trial_engine.ts";
import { writeSweepReport } from "../sweep/write_sweep_report.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { estimateSteps } from "./run_command.ts";
import { sittingFromFlags } from "./sitting_flags.ts";
import { SIGNAL_EXIT_CODES, untilStopped } from "./stop_signals.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const DEFAULT_RAY_ADDRESS = "http://127.0.0.1:8265";
/** Jobs submitted at once by default: Ray queues the rest of a cluster's share anyway, and each in-flight job is polled. */
const MAX_RAY_IN_FLIGHT = 64;

const HELP = `Usage: deno task fer sweep <sweep.json> [--dry-run | --estimate [--steps N]] [--engine local|ray]
                              [--parallel N] [--address URL] [--project-dir DIR] [--retry-failed]
                              [--time-budget T] [--until TIME] [--no-images]

Runs every trial of a sweep config ("kind": "sweep", e.g. experiments/sweep_smoke.json):
each setting of its parameters (grid, explicit settings, random draws) once per seed.
A trial is \`deno task fer run <trial config>\` and leaves a normal run folder in
results/runs/. The sweep folder results/sweeps/<name>/ records the resolved sweep,
each trial's config, status, attempts, run id, Ray job id, node, log and metrics
(state.json, trials.csv, logs/), and the summary: mean ± SD across seeds per
setting, the best setting chosen on validation, each setting's gap to it paired
by seed (within noise or not), each setting against it image by image on
validation, run against run of the same seed (McNemar, paired bootstrap: one
seed is enough), comparison.csv/md of its runs and plots/ (parallel
coordinates, validation accuracy against each parameter).

The base may be an ensemble config ("kind": "ensemble"): each trial is then an
ensemble, varying its combiner, fitting (fitting.l2), views (tta) or members
(members.0.config.training.epochs); its seed seeds the combiner's folds. Members
are trained once and scored once over a set of views (the score cache): the
other trials fit their combiner in seconds.

Runs that trials start from or learn from (training.initFrom, distillation
teachers, an ensemble trial's members), named by config path and not trained yet,
are trained once before the trials when trials run at once (--parallel above 1,
and on Ray), so the trials reuse them instead of each training its own (sources/,
logs/source-*); so is an inline member config that two trials or more share.

Run it again to resume: completed trials are skipped, failed ones retried up to
"retries" times (a failed trial is recorded with its log and never stops the others),
and a trial left interrupted goes on from its run's last finished epoch (fer resume;
a failed trial's retry too, when its run kept a checkpoint); a finished sweep runs
nothing and prints its summary again. Ctrl-C (or SIGTERM) stops the running trials,
saves the sweep and exits with 130 (143); a second Ctrl-C exits at once.

  --dry-run       print the trials (validated) and exit without running any
  --estimate      run no trial: time each setting's training steps on this machine
                  (as fer run --estimate does; seeds train alike) and print each
                  setting's run time and the sweep's, one trial after another,
                  with the source configs the trials train first (once each);
                  with --time-budget T, how many invocations of T it takes.
                  An ensemble sweep: its members' training (once) and scoring
                  (once per set of views), as fer run <ensemble> --estimate
  --steps         training steps --estimate times per setting (default 30)
  --engine        local (default): child processes on this machine;
                  ray: each trial a job on a Ray cluster through the Ray Jobs REST API
  --parallel      trials at once on the local engine (default 1; 2 cores train one trial well)
                  and jobs in flight on Ray (default: all, up to 64; Ray queues what does not fit)
  --address       the Ray head's dashboard (job server) URL (default $RAY_API_SERVER_ADDRESS,
                  $RAY_ADDRESS when it is http, else ${DEFAULT_RAY_ADDRESS})
  --project-dir   this project's folder on the Ray nodes (default: this folder's absolute path)
  --retry-failed  give trials that used up their retries another allowance
  --time-budget   how long this invocation may take (90m, 8h): each trial starts with
                  what is left (fer run --time-budget: its training stops cleanly after
                  the epoch the next one would end past it, keeping its checkpoint),
                  and no trial starts once it is spent, once a trial was paused by
                  it, or when the last trial's epoch would not fit in what is left;
                  run the sweep again to go on
                  (paused trials resume, the rest start). A Ray job is given the
                  budget's end as a clock time (fer run --until; keep the nodes'
                  clocks in sync), so time it waits in the queue counts. Sources
                  the trials share are trained first, in the budget; a source it
                  stops is taken up again before the trials next time
  --until TIME    the same budget, to a clock time (07:30, 2026-12-06T07:30; as
                  fer run --until); with --time-budget, the sooner end
  --no-images     skip PNG/SVG plots (HTML plots are always written)

Results go to FER_RESULTS (default results/); on Ray it must be a path every node
reaches (a shared filesystem), see the README's "Running sweeps on a cluster".

Examples: deno task fer sweep experiments/sweep_smoke.json --dry-run
          deno task fer sweep experiments/sweep_smoke.json --estimate --time-budget 8h
          deno task fer sweep experiments/sweep_smoke.json --time-budget 8h
`;

/** The `sweep` command. */
export const sweepCommand: CliCommand = {
  summary: "Run a sweep of configs x seeds locally or on Ray; summary across seeds",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "sweep",
      flags: {
        "dry-run": "boolean",
        engine: "string",
        parallel: "string",
        address: "string",
        "project-dir": "string",
        "retry-failed": "boolean",
        "no-images": "boolean",
        estimate: "boolean",
        steps: "string",
        "time-budget": "string",
        until: "string",
      },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { projectRoot, resultsRoot } = workbenchPaths(io.env);
    const spec = await readSweepFile(parsed.positionals[0], projectRoot);
    const trials = expandTrials(spec.sweep, spec.base);
    const engineName = typeof parsed.flags.engine === "string" ? parsed.flags.engine : "local";
    if (engineName !== "local" && engineName !== "ray") {
      throw new ConfigError(`Unknown engine "${engineName}" for --engine; known: local, ray`);
    }
    const parallelFlag = parsed.flags.parallel;
    const parallel = typeof parallelFlag === "string" ? Number(parallelFlag) : engineName === "ray" ? Math.min(trials.length, MAX_RAY_IN_FLIGHT) : 1;
    if (!Number.isInteger(parallel) || parallel < 1) {
      throw new ConfigError(`Option --parallel takes a whole number of at least 1, found "${parallelFlag}"`);
    }
    const steps = estimateSteps(parsed.flags);
    // The sooner of --time-budget and --until, read as fer run reads them.
    const limit = sittingFromFlags(parsed.flags);
    const timeBudgetSeconds = limit?.seconds;
    if (limit !== null && parsed.flags["dry-run"] === true) {
      throw new ConfigError("--time-budget and --until limit the trials a sweep runs; --dry-run runs none: leave them out");
    }
    if (limit !== null && parsed.flags.estimate === true) {
      // With --estimate a budget plans invocations of that length, as fer run --estimate --time-budget plans sittings.
      if (typeof parsed.flags.until === "string") {
        throw new ConfigError("--until ends one invocation at a clock time; --estimate runs no trial: leave it out (--time-budget T plans invocations of T)");
      }
      if (parallel > 1) {
        // Ray runs trials at once by default: say so rather than name a --parallel the user did not give.
        const atOnce = typeof parallelFlag === "string" ? `--parallel ${parallel}` : `Ray's default of ${parallel} in flight`;
        throw new ConfigError(
          `--estimate --time-budget plans invocations for trials one after another; trials at once (${atOnce}${engineName === "ray" && typeof parallelFlag === "string" ? ", Ray" : ""}) ` +
            "share cores or spread over nodes: leave out --time-budget, or give --parallel 1",
        );
      }
    }
    if (timeBudgetSeconds === 0) throw new ConfigError(`--until ${limit!.endsAt} has passed: no trial would run; give a time to come, e.g. 07:30`);
    if (parsed.flags.estimate === true) {
      if (parsed.flags["dry-run"] === true) throw new ConfigError("Options --estimate and --dry-run each run no trial; use one of them");
      const paths = { ...workbenchPaths(io.env), log: (line: string) => io.err(`${line}\n`) };
      const ensembles = trials.some((trial) => isEnsembleTrial(trial.config));
      if (ensembles && timeBudgetSeconds !== undefined) {
        throw new ConfigError(
          "--estimate --time-budget plans invocations by the trials' epochs; an ensemble sweep's trials train no epochs of their own " +
            "(its members are trained once): plan the members' sittings with deno task fer run <ensemble config> --estimate --time-budget T, " +
            "or leave out --time-budget",
        );
      }
      const lines = ensembles
        ? ensembleSweepEstimateLines(await estimateEnsembleSweep(trials, paths, { steps }))
        : sweepEstimateLines(await estimateSweep(trials, paths, { steps }), timeBudgetSeconds);
      io.out(`Sweep ${spec.sweep.name}: ${trials.length} trials, estimated on this machine (nothing run: --estimate)\n${lines.join("\n")}\n`);
      return 0;
    }
    if (parsed.flags["dry-run"] === true) {
      const settings = new Set(trials.map((t) => t.setting)).size;
      io.out(`Sweep ${spec.sweep.name}: ${trials.length} trials (${settings} settings x ${spec.sweep.seeds.length} seeds), base ${typeof spec.sweep.base === "string" ? spec.sweep.base : "inline"}\n`);
      for (const trial of trials) io.out(`  ${trial.key}  seed ${trial.seed}  ${describeParams(trial.params)}\n`);
      io.out(`Folder: ${sweepDir(resultsRoot, spec.sweep.name)} (nothing run: --dry-run)\n`);
      return 0;
    }
    const engine = await makeEngine(engineName, parsed.flags, { projectRoot, resultsRoot, env: io.env ?? {}, sweepName: spec.sweep.name });
    const messages = {
      first: "stopping the running trials and saving the sweep; rerun it to resume",
      second: "trials.csv stays as last saved; rerun the sweep to resume (its running trials' runs are left stale)",
    };
    const { result: outcome, stoppedBy } = await untilStopped(io, messages, (signal) =>
      runSweep(spec, {
        resultsRoot,
        projectRoot,
        engine,
        parallel,
        retryFailed: parsed.flags["retry-failed"] === true,
        log: (line) => io.err(`${line}\n`),
        signal,
        timeBudgetSeconds,
      }));
    const records = [...outcome.folder.records.values()];
    const report = await writeSweepReport(outcome.folder.dir, records, outcome.summary, {
      resultsRoot,
      imagePlots: parsed.flags["no-images"] !== true,
      log: (line) => io.err(`${line}\n`),
    });
    const { counts } = outcome;
    io.out(
      `Sweep ${spec.sweep.name}: ${counts.completed} completed, ${counts.failed} failed, ${counts.interrupted + counts.running + counts.pending} not finished ` +
        `(${outcome.attempted} run now, ${outcome.skipped} skipped as already completed)\n`,
    );
    io.out([...summaryLines(outcome.summary), ...pairedToBestLines(report.paired, outcome.summary)].map((line) => `  ${line}\n`).join(""));
    io.out(`Folder: ${outcome.folder.dir} (trials.csv, summary.md, plots/)\n`);
    if (counts.failed > 0) {
      const failed = records.filter((r) => r.status === "failed").map((r) => `${r.key} (${r.log})`);
      io.err(`Failed trials, logs in the sweep folder: ${failed.join(", ")}; rerun the sweep to retry them${counts.failed ? " (--retry-failed once their retries are used up)" : ""}\n`);
      return 1;
    }
    return stoppedBy ? SIGNAL_EXIT_CODES[stoppedBy] : 0;
  },
};

async function makeEngine(
  name: "local" | "ray",
  flags: Record<string, string | boolean>,
  context: { projectRoot: string; resultsRoot: string; env: Readonly<Record<string, string | undefined>>; sweepName: string },
): Promise<TrialEngine> {
  if (name === "local") {
    for (const flag of ["address", "project-dir"]) {
      if (flag in flags) throw new ConfigError(`Option --${flag} applies only to --engine ray; leave it out for the local engine`);
    }
    return localEngine({ projectRoot: context.projectRoot, denoPath: process.execPath, env: context.env, resultsRoot: context.resultsRoot });
  }
  const fromEnv = context.env.RAY_API_SERVER_ADDRESS ?? (context.env.RAY_ADDRESS?.startsWith("http") ? context.env.RAY_ADDRESS : undefined);
  const client = rayJobsClient(typeof flags.address === "string" ? flags.address : fromEnv ?? DEFAULT_RAY_ADDRESS);
  const version = await client.version();
  const engine = rayEngine({
    client,
    projectDir: typeof flags["project-dir"] === "string" ? flags["project-dir"] : context.projectRoot,
    resultsRoot: context.resultsRoot,
    sweepName: context.sweepName,
    uniqueSuffix: Date.now().toString(36),
  });
  return { ...engine, description: `${engine.description}, Ray ${version}` };
}
