/**
 * `deno task fer rerun <run>`: runs a saved config again and checks the metrics match.
 *
 * @module
 */
import { compareMetrics } from "../experiment/compare_metrics.ts";
import type { RunMetrics } from "../experiment/run_metrics.ts";
import { parseExperimentConfig } from "../ensemble/read_config_file.ts";
import { openRun, readRunJson, runState } from "../experiment/run_store.ts";
import { configDifferences } from "../experiment/config_differences.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { RunError } from "../core/errors.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { runAnyWithInterrupts } from "./run_command.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer rerun <run-id> [--no-images] [--force]

Runs the run's config.json again (same seed) as a new run, then compares
every metric with the original. Same config, same seed and the same CPU
backend give bit-identical metrics; the exit code is 0 when all match and 1
otherwise (130 when the rerun is interrupted).

Before training it checks that config.json is still the config the run
recorded in manifest.json, and that the run has metrics to compare with; if
not it says why (with the fields that differ) and stops.

  --no-images  skip PNG/SVG plots (HTML plots are always written)
  --force      run anyway: an edited config.json, or a run without metrics
               (stale, failed, interrupted before evaluation); nothing is compared
               when there are no metrics

Example: deno task fer rerun 20261124-091530-small_cnn-1a2b3c
`;

/** The `rerun` command. */
export const rerunCommand: CliCommand = {
  summary: "Run a saved run's config again and report, metric by metric, whether it matches",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "rerun", flags: { "no-images": "boolean", force: "boolean" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const force = parsed.flags.force === true;
    const { resultsRoot } = workbenchPaths(io.env);
    const original = await openRun(resultsRoot, parsed.positionals[0]);
    const raw = await readRunJson<unknown>(original, "config");
    const manifest = await readRunJson<RunManifest>(original, "manifest");
    const config = parseExperimentConfig(raw, `${original.id}/config.json`);
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
    const run = await runAnyWithInterrupts(config, io, parsed.flags["no-images"] !== true);
    if (run.interruptedBy) {
      io.out(`Rerun ${run.id} was interrupted; nothing compared\n`);
      return run.interruptedBy === "SIGTERM" ? 143 : 130;
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
