/**
 * `deno task fer rerun <run>`: runs a saved config again and checks the metrics match.
 *
 * @module
 */
import { compareMetrics } from "../experiment/compare_metrics.ts";
import type { RunMetrics } from "../experiment/evaluate_run.ts";
import { parseExperimentConfig } from "../ensemble/read_config_file.ts";
import { openRun, readRunJson } from "../experiment/run_store.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { runAnyWithInterrupts } from "./run_command.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer rerun <run-id> [--no-images]

Runs the run's config.json again (same seed) as a new run, then compares
every metric with the original. Same config, same seed and the same CPU
backend give bit-identical metrics; the exit code is 0 when all match and 1
otherwise.

Example: deno task fer rerun 20261124-091530-small_cnn-1a2b3c
`;

/** The `rerun` command. */
export const rerunCommand: CliCommand = {
  summary: "Run a saved run's config again and report, metric by metric, whether it matches",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "rerun", flags: { "no-images": "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { resultsRoot } = workbenchPaths(io.env);
    const original = await openRun(resultsRoot, parsed.positionals[0]);
    const config = parseExperimentConfig(await readRunJson<unknown>(original, "config"), `${original.id}/config.json`);
    const before = await readRunJson<RunMetrics>(original, "metrics");
    const run = await runAnyWithInterrupts(config, io, parsed.flags["no-images"] !== true);
    const after = await readRunJson<RunMetrics>(run, "metrics");
    if (!before || !after) {
      io.out(`Cannot compare: ${!before ? original.id : run.id} has no metrics.json\n`);
      return 1;
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
