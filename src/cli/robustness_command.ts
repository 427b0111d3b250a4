/**
 * `deno task fer robustness <run>`: a run's model under the perturbation suite.
 *
 * @module
 */
import { selectBackend } from "../backend/select_backend.ts";
import { ConfigError } from "../core/errors.ts";
import type { RunConfig } from "../experiment/run_config.ts";
import { openRun, readRunJson, runPath } from "../experiment/run_store.ts";
import { PERTURBATIONS } from "../robustness/perturbation_suite.ts";
import { worstPerturbations } from "../robustness/robustness_report.ts";
import { ROBUSTNESS_EXAMPLES_FILE, runRobustness } from "../robustness/run_robustness.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { nullIfStopped, SIGNAL_EXIT_CODES, untilStopped } from "./stop_signals.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer robustness <run-id> [--data ROOT] [--split NAME] [--only LIST] [--baseline RUN-ID]
                                 [--seed N] [--limit N] [--backend NAME] [--no-images]

Evaluates the run's model under a suite of perturbations, each at severities
1 (mild) to 5 (severe), seeded, on the active backend (the corruption-benchmark
convention of Hendrycks and Dietterich 2019). Writes robustness.json into the
run folder (clean accuracy, accuracy with a 95% interval and macro-F1 per
perturbation and severity, accuracy lost per perturbation and family, mean
corruption accuracy, relative robustness = mean corruption accuracy / clean
accuracy, with --baseline the corruption error CE, mCE and relative mCE, and
per image whether it was right clean and at how many severities of each
perturbation, for paired intervals in fer compare), and plots/: robustness_heatmap, robustness_curves, robustness_drop (.html, and
.png/.svg with Chromium) and ${ROBUSTNESS_EXAMPLES_FILE} (one image at every
severity). Each image is scored on one view, also for a run whose config sets
test-time augmentation (tta). Compare runs on it with: deno task fer compare
(same --split, --limit and --seed for a per-perturbation table with paired intervals).
Ctrl-C (or SIGTERM) stops the suite after its current batch and writes nothing:
the run's earlier robustness.json and plots stay as they were (status 130, 143).

  --data      dataset root (default: the one the run was trained on)
  --split     split to perturb (default: validation)
  --only      comma-separated perturbations or families to run (default: all)
  --baseline  a run that already has robustness.json on the same split: CE and
              mCE are this run's errors divided by the baseline's
  --seed      seed of the perturbations' random draws (default: the run's seed)
  --limit     a stratified subset of at most N images (quick looks)
  --backend   auto, wasm, webgpu, tensorflow or cpu (default: the run's config)
  --no-images skip PNG/SVG plots (HTML plots are always written)

The suite (families lighting, quality, occlusion, pose):
${PERTURBATIONS.map((p) => `  ${p.name.padEnd(16)} ${p.family.padEnd(9)} ${p.description}`).join("\n")}

Example: deno task fer robustness 20261202-040217-small_cnn-6d661f --baseline 20261201-120000-capstone_cnn-0a1b2c
`;

/** The `robustness` command. */
export const robustnessCommand: CliCommand = {
  summary: "Accuracy under lighting, quality, occlusion and pose perturbations (robustness.json)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "robustness",
      flags: {
        data: "string",
        split: "string",
        only: "string",
        baseline: "string",
        seed: "string",
        limit: "string",
        backend: "string",
        "no-images": "boolean",
      },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { resultsRoot, cacheDir, projectRoot } = workbenchPaths(io.env);
    const run = await openRun(resultsRoot, parsed.positionals[0]);
    const baseline = typeof parsed.flags.baseline === "string" ? await openRun(resultsRoot, parsed.flags.baseline) : undefined;
    const only = typeof parsed.flags.only === "string" ? parsed.flags.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    const seed = wholeNumber(parsed.flags.seed, "--seed", 0);
    const limit = wholeNumber(parsed.flags.limit, "--limit", 1);
    const config = await readRunJson<RunConfig>(run, "config");
    const backend = typeof parsed.flags.backend === "string" ? parsed.flags.backend : io.env?.FER_BACKEND ?? config?.backend ?? "auto";
    await selectBackend(backend, { log: (line) => io.err(`${line}\n`) });
    const messages = {
      // A signal that comes once the suite has measured everything finds it writing: it finishes, each file whole.
      first: "stopping after the current batch; robustness.json and the plots are left as they were, or written whole if measuring is done",
      second: "robustness.json and each plot are whole, the old file or the new (each is written by a rename)",
    };
    const { result: report, stoppedBy } = await untilStopped(io, messages, (signal) =>
      nullIfStopped(runRobustness(run, {
        root: typeof parsed.flags.data === "string" ? parsed.flags.data : undefined,
        split: typeof parsed.flags.split === "string" ? parsed.flags.split : undefined,
        perturbations: only,
        seed,
        limit,
        baseline,
        cacheDir,
        projectRoot,
        images: parsed.flags["no-images"] !== true,
        log: (line) => io.out(`${line}\n`),
        signal,
      }), signal));
    if (report === null) {
      io.err(`Robustness of ${run.id} stopped before it was measured in full: nothing was written; rerun the command (--only or --limit for a shorter suite)\n`);
      return SIGNAL_EXIT_CODES[stoppedBy!];
    }
    const pct = (v: number) => v.toFixed(3);
    io.out(
      `\nRun ${run.id} on ${report.split} of ${report.root}${report.synthetic ? " (SYNTHETIC data)" : ""}: ${report.images} images, ` +
        `${report.suite.length} perturbations x 5 severities, seed ${report.seed}, backend ${report.backend}\n` +
        `  clean accuracy ${pct(report.clean.accuracy)} [${pct(report.clean.accuracyInterval.low)}, ${pct(report.clean.accuracyInterval.high)}]` +
        `, mean corruption accuracy ${pct(report.meanCorruptionAccuracy)}, relative robustness ${pct(report.relativeRobustness)}\n` +
        report.perFamily.map((f) => `  ${f.family.padEnd(9)} mean accuracy ${pct(f.meanAccuracy)} (drop ${pct(f.accuracyDrop)})\n`).join("") +
        `  costliest: ${worstPerturbations(report, 5).map((p) => `${p.perturbation} -${pct(p.accuracyDrop)}`).join(", ")}\n` +
        (report.baseline
          ? `  against ${report.baseline.runId}: mCE ${pct(report.baseline.mCE)}, relative mCE ${report.baseline.relativeMCE === null ? "n/a" : pct(report.baseline.relativeMCE)}\n`
          : "") +
        `  suite time ${report.seconds.toFixed(1)} s (perturbing ${report.perturbSeconds.toFixed(1)} s, predicting ${report.predictSeconds.toFixed(1)} s` +
        `${report.predictions === undefined ? "" : `; ${report.predictions} distinct of ${report.images * (report.results.length + 1)} images predicted`})\n` +
        `Wrote ${runPath(run, "robustness")} and plots/robustness_*\n`,
    );
    return 0;
  },
};

function wholeNumber(value: string | boolean | undefined, flag: string, min: number): number | undefined {
  if (typeof value !== "string") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`Option ${flag} is "${value}"; pass a whole number >= ${min}, e.g. ${flag === "--limit" ? "500" : "42"}`);
  }
  return n;
}
