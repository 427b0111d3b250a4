/**
 * `deno task fer resume <run>`: goes on with an interrupted or crashed run from its checkpoint.
 *
 * @module
 */
import { RunError } from "../core/errors.ts";
import { isResumable, refuseEmptySitting } from "../experiment/resumable_run.ts";
import { resumeExperiment } from "../experiment/run_experiment.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { printRunSummary } from "./print_run_summary.ts";
import { SIGNAL_EXIT_CODES, withInterrupts } from "./run_command.ts";
import { printSittingOver, SITTING_FLAGS, SITTING_HELP, SITTING_NAMES, sittingFromFlags, sittingOverBeforeStart } from "./sitting_flags.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer resume <run-id> [--stop-after-epoch N] [--time-budget T] [--until TIME] [--no-images]

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

${SITTING_HELP}
  --no-images  skip PNG/SVG plots (HTML plots are always written)

Examples: deno task fer resume 20261205-070916-best_4class-e6bdf7
          deno task fer resume 20261205-070916-best_4class-e6bdf7 --time-budget 2h
`;

/** The `resume` command. */
export const resumeCommand: CliCommand = {
  summary: "Go on with an interrupted or crashed run from its last finished epoch",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "resume", flags: { ...SITTING_FLAGS, "no-images": "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const runId = parsed.positionals[0];
    const sitting = sittingFromFlags(parsed.flags);
    const { resultsRoot } = workbenchPaths(io.env);
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
