/**
 * `deno task fer list`: one line per run.
 *
 * @module
 */
import { compareRuns, type ComparisonRow } from "../experiment/compare_runs.ts";
import { selectRuns } from "../experiment/select_runs.ts";
import { formatSeconds } from "../train/progress_bar.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { RUN_SELECTION_FLAGS, RUN_SELECTION_HELP, runSelectionFromFlags, selectionText } from "./run_selection_flags.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer list [--name GLOBS] [--status S] [--sort KEY]

Lists saved runs, oldest first: id, status, model, data and accuracy.
Status is running, completed, interrupted, failed, stale (the manifest says
running but its process is gone: killed or crashed; the line below it says
what survived) or damaged (a file cannot be read; the line names it).
A run that has not completed shows how far it got instead of its scores:
the epochs finished of those planned, the time the rest would take at its
mean epoch so far, and for a stopped run the validation accuracy of its best
weights so far (no test figure: test is read once, by the finished model).
Runs are read from results/ (FER_RESULTS moves it).

${RUN_SELECTION_HELP}

Example: deno task fer list --name 'best_fer2013_crop40*' --status completed --sort val
`;

/** The `list` command. */
export const listCommand: CliCommand = {
  summary: "List saved runs",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "list", flags: RUN_SELECTION_FLAGS, positionals: [0, 0] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const selection = runSelectionFromFlags(parsed.flags);
    const all = await compareRuns(workbenchPaths(io.env).resultsRoot);
    const rows = selectRuns(all, selection);
    if (all.length === 0) io.out("No runs yet; start one with: deno task fer run experiments/small_cnn.json\n");
    else if (rows.length === 0) io.out(`No run of the ${all.length} saved matches ${selectionText(parsed.flags)}; deno task fer list shows them all\n`);
    // Columns as wide as their longest entry: run ids grow with config names, model labels with transfer backbones.
    const idWidth = Math.max(0, ...rows.map((r) => r.id.length));
    const modelWidth = Math.max(18, ...rows.map((r) => r.model.length));
    for (const r of rows) {
      const val = r.valAccuracy ? `val ${r.valAccuracy.value.toFixed(3)}` : "";
      const test = r.testAccuracy ? `test ${r.testAccuracy.value.toFixed(3)}` : "";
      const id = r.id.padEnd(idWidth);
      if (r.status === "damaged") {
        io.out(`${id}  ${"damaged".padEnd(11)} ${r.note}\n`);
        continue;
      }
      const scores = r.progress ? progressText(r.progress, r.status, val) : `${val}  ${test}`;
      io.out(`${id}  ${r.status.padEnd(11)} ${r.model.padEnd(modelWidth)} ${r.synthetic ? "SYNTHETIC" : "real     "}  ${scores}\n`);
      if (r.note) io.out(`    ${r.status}: ${r.note}\n`);
    }
    return 0;
  },
};

/** "12/50 epochs done, about 2h05m to go" (running), "stopped after 10/50 epochs, about 2h10m to go, val 0.726 so far" (interrupted, failed, stale). */
function progressText(progress: NonNullable<ComparisonRow["progress"]>, status: string, val: string): string {
  const { done, planned, meanEpochSeconds } = progress;
  const left = meanEpochSeconds !== null && done < planned ? `, about ${formatSeconds(meanEpochSeconds * (planned - done))} to go` : "";
  if (status === "running") return `${done}/${planned} epochs done${left}`;
  return `stopped after ${done}/${planned} epochs${left}${val ? `, ${val} so far` : ""}`;
}
