/**
 * `deno task fer rerun <run>`: runs a saved config again and checks the metrics match.
 *
 * @module
 */
import { compareMetrics } from "../experiment/compare_metrics.ts";
import type { RunMetrics } from "../experiment/run_metrics.ts";
import { parseExperimentConfig } from "../ensemble/read_config_file.ts";
import { findResumableIdenticalRun } from "../experiment/find_identical_run.ts";
import { refuseEmptySitting } from "../experiment/resumable_run.ts";
import { resumeExperiment } from "../experiment/run_experiment.ts";
import { openRun, readRunJson, type RunHandle, runState } from "../experiment/run_store.ts";
import { configDifferences } from "../experiment/config_differences.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { RunError } from "../core/errors.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { refuseEpochLimitOfEnsemble, runAnyWithInterrupts, runNotStartedExit, withInterrupts } from "./run_command.ts";
import { SIGNAL_EXIT_CODES, type StopSignal } from "./stop_signals.ts";
import { SITTING_FLAGS, SITTING_HELP, SITTING_NAMES, sittingFromFlags, sittingOverBeforeStart } from "./sitting_flags.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer rerun <run-id> [--time-budget T] [--until TIME] [--stop-after-epoch N] [--no-images] [--force]

Runs the run's config.json again (same seed) as a new run, then compares
every metric with the original. Same config, same seed and the same CPU
backend give bit-identical metrics; the exit code is 0 when all match and 1
otherwise (130 when the rerun is interrupted).

A rerun can take sittings, as fer run does: the same fer rerun command goes on
with a rerun that stopped before it completed (a sitting's end, Ctrl-C, a
crash: a run of the same config and seed with its checkpoint), from its last
finished epoch, and compares once it completes (resuming is bit-identical too).

Before training it checks that config.json is still the config the run
recorded in manifest.json, and that the run has metrics to compare with; if
not it says why (with the fields that differ) and stops.

${SITTING_HELP}
  --no-images  skip PNG/SVG plots (HTML plots are always written)
  --force      run anyway: an edited config.json, or a run without metrics
               (stale, failed, interrupted before evaluation); nothing is compared
               when there are no metrics

Examples: deno task fer rerun 20261124-091530-small_cnn-1a2b3c
          deno task fer rerun 20261205-092004-best_4class-9aa6cd --time-budget 2h
`;

/** The `rerun` command. */
export const rerunCommand: CliCommand = {
  summary: "Run a saved run's config again and report, metric by metric, whether it matches",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "rerun", flags: { ...SITTING_FLAGS, "no-images": "boolean", force: "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const force = parsed.flags.force === true;
    const sitting = sittingFromFlags(parsed.flags);
    const { resultsRoot, projectRoot } = workbenchPaths(io.env);
    const original = await openRun(resultsRoot, parsed.positionals[0]);
    const raw = await readRunJson<unknown>(original, "config");
    const manifest = await readRunJson<RunManifest>(original, "manifest");
    const config = parseExperimentConfig(raw, `${original.id}/config.json`);
    if (sitting) refuseEpochLimitOfEnsemble(config, sitting);
    const before = await readRunJson<RunMetrics>(original, "metrics");
    // Both checks come before any training.
    const edited = manifest?.config === undefined ? [] : configDifferences(manifest.config, raw);
    if (edited.length > 0) {
      const what = `${original.id}/config.json differs from the config the run recorded in its manifest.json (edited after the run?):\n  ${edited.join("\n  ")}`;
      if (!force) throw new RunError(`${what}\nA rerun would not reproduce the run; restore the file, or pass --force to run the edited config anyway`);
      io.err(`WARNING: ${what}\nRunning the edited config (--force); its metrics are not expected to match\n`);
    }
    if (!before) {
      const { status } = await runState(original, manifest);
      const what = `Run ${original.id} has no metrics.json (status ${status}): there is nothing to compare a rerun with`;
      if (!force) throw new RunError(`${what}; pass --force to train its config again as a new run anyway`);
      io.err(`${what}; training its config again as a new run (--force)\n`);
    }
    const overBeforeStart = sittingOverBeforeStart(sitting);
    if (overBeforeStart) {
      io.err(`Sitting over before it began: ${overBeforeStart}; nothing was trained or compared\n`);
      return 0;
    }
    const imagePlots = parsed.flags["no-images"] !== true;
    // A rerun stopped before it completed (a sitting's end, Ctrl-C, a crash) goes on from its checkpoint.
    const stopped = config.kind === "run" ? await findResumableIdenticalRun(resultsRoot, config.config, projectRoot, original.id) : undefined;
    if (stopped) await refuseEmptySitting(resultsRoot, stopped.id, sitting?.afterEpoch, SITTING_NAMES.afterEpoch);
    let run: RunHandle & { interruptedBy: StopSignal | null; sittingOver: string | null };
    try {
      if (stopped) {
        io.err(`Run ${stopped.id} of this config and seed stopped before it completed, with its checkpoint: going on with it as the rerun\n`);
        const { result, ...how } = await withInterrupts(io, imagePlots, (ctx) => resumeExperiment(stopped.id, ctx), sitting);
        run = { ...result.run, ...how };
      } else {
        run = await runAnyWithInterrupts(config, io, imagePlots, sitting);
      }
    } catch (error) {
      const code = runNotStartedExit(error, io);
      if (code === null) throw error;
      return code;
    }
    if (run.sittingOver) {
      io.err(`Sitting over: ${run.sittingOver}; nothing compared yet. Go on with: deno task fer rerun ${original.id} (it goes on with run ${run.id})\n`);
      return 0;
    }
    if (run.interruptedBy) {
      io.out(`Rerun ${run.id} was interrupted; nothing compared (fer rerun ${original.id} goes on with it)\n`);
      return SIGNAL_EXIT_CODES[run.interruptedBy];
    }
    const after = await readRunJson<RunMetrics>(run, "metrics");
    if (!before || !after) {
      io.out(`Cannot compare: ${!before ? original.id : run.id} has no metrics.json\n`);
      return before ? 1 : 0;
    }
    const rows = compareMetrics(before, after);
    const width = Math.max(...rows.map((r) => r.metric.length));
    io.out(`${"metric".padEnd(width)}  ${"original".padStart(12)}  ${"rerun".padStart(12)}  match\n`);
    for (const row of rows) {
      io.out(`${row.metric.padEnd(width)}  ${format(row.original)}  ${format(row.rerun)}  ${row.match ? "yes" : "NO"}\n`);
    }
    const matched = rows.filter((r) => r.match).length;
    io.out(`${matched} of ${rows.length} metrics match exactly (${original.id} vs ${run.id})\n`);
    return matched === rows.length ? 0 : 1;
  },
};

function format(value: number): string {
  return (Number.isInteger(value) ? String(value) : value.toFixed(8)).padStart(12);
}
