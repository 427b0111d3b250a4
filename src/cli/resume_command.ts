/**
 * `deno task fer resume <run>`: goes on with an interrupted or crashed run from its checkpoint.
 *
 * @module
 */
import { ConfigError, RunError } from "../core/errors.ts";
import { findResumableIdenticalRun, namesRunConfig } from "../experiment/find_identical_run.ts";
import { isResumable, refuseEmptySitting } from "../experiment/resumable_run.ts";
import { resumeExperiment } from "../experiment/run_experiment.ts";
import type { CliCommand, CliIo } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { printRunSummary } from "./print_run_summary.ts";
import { readWithOverrides, withInterrupts } from "./run_command.ts";
import { SIGNAL_EXIT_CODES } from "./stop_signals.ts";
import { printSittingOver, SITTING_FLAGS, SITTING_HELP, SITTING_NAMES, sittingFromFlags, sittingOverBeforeStart } from "./sitting_flags.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer resume <run-id> [--stop-after-epoch N] [--time-budget T] [--until TIME] [--no-images]
       deno task fer resume <config.json> [--seed S] [--epochs N] [--backend NAME] [--precision P] [sitting options]

Goes on with a run that stopped before its last epoch (Ctrl-C, SIGTERM, a
crash, a killed process, a full disk), in the same run folder. A run saves a
checkpoint (checkpoint.bin) after every finished epoch: the weights, the
optimizer's state, the random generator, the learning rate, the best weights
so far and the schedule's and early stopping's state. Training goes on after
the last finished epoch as if it had never stopped (on the same CPU backend
the result is bit-identical to an uninterrupted run), then the run is
evaluated and written as usual; the checkpoint is removed once it completes.
manifest.json keeps the start time and lists each resumption under
"resumes"; its durations add the kept epochs' seconds.

Before training it checks that the run is interrupted, failed or stale (not
completed, not still running), that config.json is the config the run
recorded, and that the dataset has the fingerprint the run recorded; if not
it says why and what to do. A transfer run goes on in its recorded stage
(the head in frozen mode; the end-to-end epochs of a fine-tuning, whose head
warm-up is not repeated); ensembles train nothing and keep no checkpoint
(make them again with fer rerun <run-id> --force). Interrupted again, a run
can be resumed again, so a long training can run in sittings.

Given a run config instead of a run id, it goes on with the newest run of
that config that stopped with its checkpoint, read with the same overrides
fer run takes (--seed, --epochs, --backend, --precision; FER_BACKEND), so
the same two commands serve every sitting: fer run <config> for the first,
fer resume <config> for the rest.

${SITTING_HELP}
  --no-images  skip PNG/SVG plots (HTML plots are always written)

Examples: deno task fer resume 20261205-070916-best_4class-e6bdf7
          deno task fer resume 20261205-070916-best_4class-e6bdf7 --time-budget 2h
          deno task fer resume experiments/best_4class.json --seed 7 --until 07:30
`;

/** The flags that pick which run of a config to go on with: those of fer run that change the experiment. */
const CONFIG_FLAGS = { seed: "string", epochs: "string", backend: "string", precision: "string" } as const;

/** The `resume` command. */
export const resumeCommand: CliCommand = {
  summary: "Go on with an interrupted or crashed run from its last finished epoch",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "resume", flags: { ...SITTING_FLAGS, ...CONFIG_FLAGS, "no-images": "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const sitting = sittingFromFlags(parsed.flags);
    const { resultsRoot, projectRoot } = workbenchPaths(io.env);
    const runId = await runToResume(parsed.positionals[0], parsed.flags, { resultsRoot, projectRoot, io });
    await refuseEmptySitting(resultsRoot, runId, sitting?.afterEpoch, SITTING_NAMES.afterEpoch);
    const overBeforeStart = sittingOverBeforeStart(sitting);
    if (overBeforeStart) {
      if (!(await isResumable(resultsRoot, runId))) {
        throw new RunError(`Run ${runId} is not one to resume: it is missing, completed, or kept no checkpoint (deno task fer list shows its state)`);
      }
      io.err(`Sitting over before it began: ${overBeforeStart}; run ${runId} is as it was. Go on with: deno task fer resume ${runId}\n`);
      return 0;
    }
    const imagePlots = parsed.flags["no-images"] !== true;
    const { result, interruptedBy, sittingOver } = await withInterrupts(io, imagePlots, (ctx) => resumeExperiment(runId, ctx), sitting);
    await printRunSummary(result.run, io);
    if (sittingOver) printSittingOver(result.run.id, sittingOver, io);
    return interruptedBy ? SIGNAL_EXIT_CODES[interruptedBy] : 0;
  },
};

/**
 * The run a `fer resume` argument names: a run id as it is, or for a run config the newest run of it (with fer run's
 * overrides) that stopped with its checkpoint.
 */
async function runToResume(
  reference: string,
  flags: Record<string, string | boolean>,
  where: { resultsRoot: string; projectRoot: string; io: CliIo },
): Promise<string> {
  const given = Object.keys(CONFIG_FLAGS).filter((flag) => typeof flags[flag] === "string");
  if (!namesRunConfig(reference)) {
    if (given.length > 0) {
      throw new ConfigError(`--${given[0]} picks the run of a config; ${reference} is a run id, which names its run and its settings: leave it out`);
    }
    return reference;
  }
  const config = await readWithOverrides(reference, flags, where.io);
  if (config.kind === "ensemble") {
    throw new ConfigError(`${reference} is an ensemble config: deno task fer run ${reference} goes on with the member a sitting stopped in`);
  }
  const overrides = given.map((flag) => ` --${flag} ${flags[flag]}`).join("");
  const stopped = await findResumableIdenticalRun(where.resultsRoot, config.config, where.projectRoot);
  if (!stopped) {
    throw new RunError(
      `No run of ${reference}${overrides ? ` (${overrides.trim()})` : ""} stopped with its checkpoint in ${where.resultsRoot}: ` +
        `start one with deno task fer run ${reference}${overrides} (deno task fer list shows the runs there)`,
    );
  }
  where.io.err(`Going on with run ${stopped.id}, the newest run of ${reference}${overrides ? ` (${overrides.trim()})` : ""} that stopped with its checkpoint\n`);
  return stopped.id;
}
