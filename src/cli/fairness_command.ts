/**
 * `deno task fer fairness <run> --groups FILE`: a run's metrics per group.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { openRun, runPath } from "../experiment/run_store.ts";
import { runFairness } from "../fairness/run_fairness.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer fairness <run-id> --groups FILE|conditions [--split NAME] [--columns a,b]
                               [--inferred a,b] [--min-group N] [--no-intersections] [--no-images]

Breaks the run's predictions (predictions.csv) down by group. FILE is a CSV
with an image column named path (relative to the dataset root, e.g.
validation/happy/PublicTest_1.jpg), file, filename or image (a file name),
and any attribute columns (subject, gender, age band, skin tone, dataset...).
For each attribute and each pair of attributes crossed it reports, per group:
count, accuracy with a 95% Wilson interval, macro-F1, recall and false-positive
rate per class; and the gaps between groups of at least --min-group images:
largest accuracy difference and worst/best ratio, macro-F1 difference, and per
class the equalised-odds difference (one-vs-rest: largest between-group gap in
true- or false-positive rate). Smaller groups are flagged too small to judge.
Rows naming no image of the split and images missing from the file are counted.
Writes fairness.json and plots/fairness_accuracy, plots/fairness_recall.

FER-2013 has no demographic labels. Without a file that records them (from a
consented dataset), use --groups conditions: groups the images' own pixels and
names support (brightness and contrast terciles, FER-2013 source split),
written to the run folder as fairness_groups.csv. They describe photographs,
not people, and the report says so.

  --groups            the groups CSV, or conditions
  --split             split of predictions.csv (default: validation)
  --columns           attribute columns to use (default: all but the image column)
  --inferred          columns a model inferred (apparent age, gender...): every output
                      labels them "inferred, not self-reported"; weak evidence, see README
  --min-group         smallest group judged in the gaps (default: 30)
  --no-intersections  only single attributes, no pairs
  --no-images         skip PNG/SVG plots (HTML plots are always written)

Example: deno task fer fairness <run-id> --groups conditions
         deno task fer fairness <run-id> --groups groups.csv --columns gender,age --split test
`;

/** The `fairness` command. */
export const fairnessCommand: CliCommand = {
  summary: "Metrics per group with intervals, gaps and equalised odds (fairness.json)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "fairness",
      flags: {
        groups: "string",
        split: "string",
        columns: "string",
        inferred: "string",
        "min-group": "string",
        "no-intersections": "boolean",
        "no-images": "boolean",
      },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    if (typeof parsed.flags.groups !== "string") {
      throw new ConfigError(`Option --groups is missing; pass a groups CSV or "conditions" (run deno task fer fairness --help)`);
    }
    const list = (value: string | boolean | undefined) => typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    const minRaw = parsed.flags["min-group"];
    const minGroupSize = typeof minRaw === "string" ? Number(minRaw) : undefined;
    if (minGroupSize !== undefined && !(Number.isInteger(minGroupSize) && minGroupSize >= 1)) {
      throw new ConfigError(`Option --min-group is "${minRaw}"; pass a whole number of images >= 1, e.g. 30`);
    }
    const { resultsRoot, cacheDir } = workbenchPaths(io.env);
    const run = await openRun(resultsRoot, parsed.positionals[0]);
    const report = await runFairness(run, {
      groups: parsed.flags.groups,
      split: typeof parsed.flags.split === "string" ? parsed.flags.split : undefined,
      columns: list(parsed.flags.columns),
      inferred: list(parsed.flags.inferred),
      minGroupSize,
      intersections: parsed.flags["no-intersections"] !== true,
      cacheDir,
      images: parsed.flags["no-images"] !== true,
      log: (line) => io.err(`${line}\n`),
    });
    const f = (v: number | null) => (v === null ? "n/a" : v.toFixed(3));
    const o = report.overall;
    io.out(
      `Run ${run.id}, ${report.split}${report.synthetic ? " (SYNTHETIC data)" : ""}: ${report.matched} images in groups from ${report.groupsFile}\n` +
        `  all: accuracy ${f(o.accuracy)} [${f(o.accuracyInterval.low)}, ${f(o.accuracyInterval.high)}], macro-F1 ${f(o.macroF1)}\n`,
    );
    for (const a of report.perAttribute) {
      io.out(`\n${a.attribute}:\n`);
      for (const g of a.groups) {
        io.out(
          `  ${g.group.padEnd(24)} n=${String(g.count).padEnd(5)} accuracy ${f(g.accuracy)} [${f(g.accuracyInterval.low)}, ${f(g.accuracyInterval.high)}]` +
            `  macro-F1 ${f(g.macroF1)}${g.tooSmall ? "  TOO SMALL TO JUDGE" : ""}\n`,
        );
      }
      const worstClass = Object.entries(a.gaps.equalisedOdds).sort((x, y) => (y[1].difference ?? -1) - (x[1].difference ?? -1))[0];
      io.out(
        a.gaps.accuracyDifference === null
          ? `  gaps: fewer than two groups of >= ${report.minGroupSize} images\n`
          : `  gaps: accuracy ${a.gaps.best} - ${a.gaps.worst} = ${f(a.gaps.accuracyDifference)} (ratio ${f(a.gaps.accuracyRatio)}), ` +
            `macro-F1 ${f(a.gaps.macroF1Difference)}, largest equalised-odds difference ${worstClass ? `${worstClass[0]} ${f(worstClass[1].difference)}` : "n/a"}\n`,
      );
    }
    io.out(`\nNotes:\n${report.notes.map((n) => `  - ${n}\n`).join("")}Wrote ${runPath(run, "fairness")} and plots/fairness_*\n`);
    return 0;
  },
};
