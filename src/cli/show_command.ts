/**
 * `deno task fer show <run>`: a run's config summary, metrics and files.
 *
 * @module
 */
import type { RunConfig } from "../experiment/run_config.ts";
import type { RunManifest } from "../experiment/run_manifest.ts";
import { openRun, readRunJson } from "../experiment/run_store.ts";
import { backendLabel } from "../backend/backend_info.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { printRunSummary } from "./print_run_summary.ts";
import { distillText } from "../experiment/teacher_targets.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer show <run-id>

Shows what a run was (model, data, seed, backend, code version) and what it
scored (accuracy and macro-F1 with 95% intervals, confusion matrices). A run
whose process is gone while its manifest says running is shown as stale, with
what survived; a damaged file is named with what is wrong with it.
`;

/** The `show` command. */
export const showCommand: CliCommand = {
  summary: "Show one run: config, manifest and metrics",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "show", flags: {}, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const run = await openRun(workbenchPaths(io.env).resultsRoot, parsed.positionals[0]);
    const config = await readRunJson<RunConfig>(run, "config");
    const manifest = await readRunJson<RunManifest>(run, "manifest");
    io.out(
      [
        `name ${config?.name}  model ${config?.model?.family ?? `ensemble:${(config as { combiner?: string } | undefined)?.combiner}`}  seed ${config?.seed}  backend ${manifest ? backendLabel(manifest.backend) : String(config?.backend)}`,
        manifest
          ? `data ${manifest.dataset.root} (${manifest.dataset.synthetic ? "SYNTHETIC" : "real"}, fingerprint ${manifest.dataset.fingerprint.slice(0, 12)})`
          : "no manifest.json: the run stopped before training began",
        manifest
          ? `code ${manifest.code.commit?.slice(0, 12) ?? "unknown"}${manifest.code.dirty ? " (uncommitted changes)" : ""}  started ${manifest.startedAt}`
          : "",
        ...(manifest?.initFrom
          ? [`started from the weights of run ${manifest.initFrom.run} (${manifest.initFrom.name}; classifier ${manifest.initFrom.classifier.replace("_", " ")})`]
          : []),
        ...(manifest?.distill && config?.training?.distill ? [distillText(manifest.distill, config.training.distill)] : []),
        ...(manifest?.resumes ?? []).map((r) =>
          `resumed ${r.at} after epoch ${r.fromEpoch} (it was ${r.after}), code ${r.code.commit?.slice(0, 12) ?? "unknown"}` +
          `${r.code.dirty ? " (uncommitted changes)" : ""}, backend ${r.backend}`
        ),
        "",
      ].join("\n"),
    );
    await printRunSummary(run, io);
    return 0;
  },
};
