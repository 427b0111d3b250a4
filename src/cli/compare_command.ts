/**
 * `deno task fer compare [runs...]`: every run side by side.
 *
 * @module
 */
import { basename, join } from "node:path";
import { writeFile } from "node:fs/promises";
import { makeOutputFolder } from "./output_folder.ts";
import * as dfd from "danfojs";
import { diversityTable } from "../ensemble/diversity_table.ts";
import { diversityFigure } from "../viz/diversity_figure.ts";
import { compareRuns, ensembleDiversities } from "../experiment/compare_runs.ts";
import { selectRuns } from "../experiment/select_runs.ts";
import { comparisonTable } from "../experiment/comparison_table.ts";
import { runsComparisonFigure } from "../experiment/runs_comparison_figure.ts";
import { compareDatasets } from "../experiment/compare_datasets.ts";
import { datasetComparisonTable } from "../experiment/dataset_comparison_table.ts";
import { accuracySeedTable } from "../experiment/seed_comparison_table.ts";
import type { Figure } from "../viz/figures.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import { tableCsv } from "../viz/table_csv.ts";
import { tableMarkdown } from "../viz/table_markdown.ts";
import { tableText } from "../viz/table_text.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { filtersRuns, RUN_SELECTION_FLAGS, RUN_SELECTION_HELP, runSelectionFromFlags, selectionText } from "./run_selection_flags.ts";
import { ConfigError } from "../core/errors.ts";
import { workbenchPaths } from "./workbench_paths.ts";
import {
  measuredOnSameImages,
  readRobustnessRuns,
  robustnessComparisonTable,
  robustnessPerturbationTable,
  type RobustnessRun,
  robustnessSeedTable,
} from "../robustness/robustness_comparison.ts";
import { PERTURBATION_FAMILIES } from "../robustness/perturbation.ts";
import { robustnessComparisonFigure } from "../viz/robustness_figures.ts";
import { comparePairedRuns, pairedComparisonLines } from "../sweep/paired_run_comparison.ts";

const HELP = `Usage: deno task fer compare [run-id ...] [--name GLOBS] [--status S] [--sort KEY]
                          [--out DIR] [--no-images]

Prints a table of runs (all runs when none are named, or those --name and
--status select): model, backend, data,
epochs, training time, validation and test accuracy with 95% intervals,
macro-F1 and calibration error. Writes comparison.csv, comparison.md and the
comparison plot (HTML, PNG, SVG) to --out (default results/compare).

For each ensemble run among them it also prints its members' diversity on
validation (pairwise disagreement and error correlation), adds it to
comparison.md and writes the heatmaps as diversity_<run-id>.html (PNG, SVG).

Runs that deno task fer eval evaluated on other datasets get a table per
dataset: one row per run, dataset (name and fingerprint) and split, with n,
accuracy and its 95% interval, and the leak-free figures where known (on the
run's own dataset); in comparison.md too, and datasets.csv.

Runs with a robustness.json (deno task fer robustness) get a robustness table
(clean and mean perturbed accuracy, relative robustness, accuracy per family,
mCE, costliest perturbations), in comparison.md too, and robustness.html; runs
measured on the same images (same --split, --limit and suite --seed) also get
one row per perturbation, family and overall, with each run's difference from
the first run named and its paired bootstrap 95% interval over the images.
Runs of several configs, each trained with the same seeds (fer run --seed, or
a sweep's trials: the seeds of one setting form one row, <sweep>-t002), get
tables across training seeds, of accuracy and (for runs measured by fer
robustness) of robustness: each config's mean over its seeds, and its
difference from the first run's config paired by seed with a 95% t interval
over the seeds (from 3 seeds): whether a change's effect repeats in training.

With exactly two run ids it also tests them against each other on the images
both evaluated, per split: McNemar's test (exact binomial below 25 discordant
images) and a paired bootstrap 95% interval of the accuracy difference (2000
resamples, seed 0), saying whether the difference is within noise; the tests go
into comparison.md too. Across seeds, compare settings with a sweep (deno task
fer sweep --help): its summary pairs them by seed.

${RUN_SELECTION_HELP}
A selection of exactly two runs is tested as two named runs are, the first
(in --sort's order) against the second.

Example: deno task fer compare
         deno task fer compare <run-a> <run-b>
         deno task fer compare --name 'best_fer2013_crop40*' --status completed --sort val
`;

/** The `compare` command. */
export const compareCommand: CliCommand = {
  summary: "Compare runs: a table (terminal, CSV, markdown) and a plot",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "compare",
      flags: { out: "string", "no-images": "boolean", ...RUN_SELECTION_FLAGS },
      positionals: [0, 1000],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const selection = runSelectionFromFlags(parsed.flags);
    const filtered = filtersRuns(selection);
    if (filtered && parsed.positionals.length > 0) {
      throw new ConfigError("Give run ids or --name/--status, not both: the ids already say which runs (--sort orders either)");
    }
    const { resultsRoot } = workbenchPaths(io.env);
    const all = await compareRuns(resultsRoot, parsed.positionals);
    if (all.length === 0) {
      io.out(`No runs in ${resultsRoot}; start one with: deno task fer run experiments/small_cnn.json\n`);
      return 0;
    }
    const rows = selectRuns(all, selection);
    if (rows.length === 0) {
      io.out(`No run of the ${all.length} saved matches ${selectionText(parsed.flags)}; deno task fer list shows them all\n`);
      return 0;
    }
    // Two runs named, in the order named; or a selection of exactly two, in its order.
    const pair = parsed.positionals.length === 2 ? parsed.positionals : filtered && rows.length === 2 ? rows.map((row) => row.id) : null;
    const table = comparisonTable(rows);
    io.out(terminalTable(table) + "\n");
    for (const r of rows.filter((row) => row.note)) io.err(`${r.id} ${r.status}: ${r.note}\n`);
    const out = typeof parsed.flags.out === "string" ? parsed.flags.out : join(resultsRoot, "compare");
    await makeOutputFolder(out, "--out");
    await writeFile(join(out, "comparison.csv"), tableCsv(table));
    const figures: { figure: Figure; basePath: string }[] = [{ figure: runsComparisonFigure(rows), basePath: join(out, "comparison") }];
    let markdown = tableMarkdown(table) + "\n";
    const seedTable = accuracySeedTable(rows);
    if (seedTable) {
      const heading = `Accuracy across training seeds ${seedTable.seeds.join(", ")} (each config's mean over its seeds; its difference from ` +
        `${seedTable.cells[0][0]} paired by seed, with a 95% t interval over the seeds from 3 seeds)`;
      io.out(`\n${heading}:\n${tableText(seedTable, { indent: "  ", rule: false })}\n`);
      markdown += `\n## ${heading}\n\n${tableMarkdown(seedTable)}\n`;
    }
    const datasets = await compareDatasets(resultsRoot, rows.map((row) => row.id));
    // Only when some run was evaluated on another dataset: otherwise it repeats the table above.
    if (datasets.some((row) => !row.trained)) {
      const perDataset = datasetComparisonTable(datasets);
      io.out(`\nPer dataset (deno task fer eval <run> <root> adds one):\n${tableText(perDataset, { indent: "  ", rule: false })}\n`);
      markdown += `\n## Per dataset\n\n${tableMarkdown(perDataset)}\n`;
      await writeFile(join(out, "datasets.csv"), tableCsv(perDataset));
    }
    for (const { id, name, diversity } of await ensembleDiversities(resultsRoot, rows)) {
      const heading = `Member diversity of ensemble ${name} (${id}), on ${diversity.count} validation images`;
      const table = diversityTable(diversity);
      io.out(`\n${heading}:\n${tableText(table, { indent: "  ", rule: false })}\n`);
      markdown += `\n## ${heading}\n\n${tableMarkdown(table)}\n`;
      figures.push({ figure: diversityFigure(diversity, { title: `${name} (${id.slice(-6)})` }), basePath: join(out, `diversity_${id}`) });
    }
    const robustnessRuns = await readRobustnessRuns(resultsRoot, rows.map((row) => row.id));
    const robustness = robustnessRuns.map((r) => r.report);
    if (robustness.length > 0) {
      const table = robustnessComparisonTable(robustness);
      io.out(`\nRobustness (deno task fer robustness):\n${tableText(table, { indent: "  ", rule: false })}\n`);
      markdown += `\n## Robustness\n\n${tableMarkdown(table)}\n`;
      figures.push({ figure: robustnessComparisonFigure(robustness, { families: PERTURBATION_FAMILIES }), basePath: join(out, "robustness") });
      const section = (heading: string, perTable: { headers: string[]; cells: string[][] }, note?: string) => {
        io.out(`\n${heading}:\n${tableText(perTable, { indent: "  ", rule: false })}\n${note ? `  (${note})\n` : ""}`);
        markdown += `\n### ${heading}\n\n${tableMarkdown(perTable)}\n${note ? `\n${note}\n` : ""}`;
      };
      const sameImages = robustness.length > 1 && measuredOnSameImages(robustness);
      if (sameImages) {
        const perTable = robustnessPerturbationTable(robustness);
        const heading = `Robustness per perturbation (mean of severities 1-5; each run minus ${robustness[0].runId}` +
          (perTable.paired ? ", with its paired bootstrap 95% interval over the images)" : ")");
        section(heading, perTable, perTable.unpaired ? `no intervals: ${perTable.unpaired}` : undefined);
      }
      let acrossSeeds = false;
      if (repeatedOverSeeds(robustnessRuns)) {
        try {
          const seedTable = robustnessSeedTable(robustnessRuns);
          section(
            `Robustness across training seeds ${seedTable.seeds.join(", ")} (mean of severities 1-5; each config minus ${robustnessRuns[0].name}, ` +
              "paired by seed, with a 95% t interval over the seeds)",
            seedTable,
          );
          acrossSeeds = true;
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          io.out(`\nNo table across training seeds: ${error.message}\n`);
        }
      }
      if (robustness.length > 1 && !sameImages && !acrossSeeds) {
        const measured = robustness.map((r) => `${r.runId.slice(-6)}: ${r.split}, ${r.images} images, suite seed ${r.seed}`).join("; ");
        io.out(
          `\nNo per-perturbation table: the runs' suites saw different images or perturbation draws (${measured}); ` +
            "rerun fer robustness with the same --split, --limit and --seed\n",
        );
      }
    }
    if (pair !== null) {
      try {
        const paired = pairedComparisonLines(await comparePairedRuns(resultsRoot, pair[0], pair[1]));
        io.out(`\n${paired.join("\n")}\n`);
        markdown += `\n## ${paired[0].replace(/:$/, "")}\n\n${paired.slice(1).map((line) => `- ${line.trim()}`).join("\n")}\n`;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        io.err(`Paired tests skipped: ${error.message}\n`);
      }
    }
    await writeFile(join(out, "comparison.md"), markdown);
    for (const { figure, basePath } of figures) await saveFigureHtml(figure, `${basePath}.html`, { title: basePath });
    if (parsed.flags["no-images"] !== true) {
      try {
        await exportFigureImages(figures);
      } catch (error) {
        io.err(`PNG/SVG skipped: ${(error as Error).message}\n`);
      }
    }
    // Names every plot beside the comparison, so a user finds the diversity and robustness pages without listing the folder.
    const more = figures.slice(1).map(({ basePath }) => `${basename(basePath)}.html`);
    io.out(`Wrote ${join(out, "comparison.{csv,md,html}")}${more.length > 0 ? ` and ${more.join(", ")}` : ""}\n`);
    return 0;
  },
};

/** Columns shown in the terminal (the CSV and markdown files have them all). */
const TERMINAL_COLUMNS: Record<string, number> = {
  run: 30,
  model: 18,
  data: 9,
  epochs: 6,
  "val acc [95% CI]": 21,
  "val macro-F1": 8,
  "test acc [95% CI]": 21,
  "test macro-F1": 8,
};

/** The comparison as a danfojs table sized for a terminal. */
function terminalTable({ headers, cells }: { headers: string[]; cells: string[][] }): string {
  const names = Object.keys(TERMINAL_COLUMNS);
  const keep = names.map((name) => headers.indexOf(name));
  const frame = new dfd.DataFrame(cells.map((row) => keep.map((i) => row[i])), {
    columns: names,
    config: {
      tableMaxColInConsole: names.length,
      tableDisplayConfig: {
        columns: Object.fromEntries([[0, { width: 3 }], ...names.map((name, i) => [i + 1, { width: TERMINAL_COLUMNS[name], wrapWord: true }])]),
      },
    },
  });
  return frame.toString();
}

/** True when a config other than the first run's shares at least two training seeds with it: a table across seeds says something. */
function repeatedOverSeeds(runs: readonly RobustnessRun[]): boolean {
  if (runs.length < 4) return false;
  const seedsOf = (name: string) => new Set(runs.filter((r) => r.name === name).map((r) => r.trainingSeed));
  const reference = seedsOf(runs[0].name);
  return [...new Set(runs.map((r) => r.name))].slice(1).some((name) => [...seedsOf(name)].filter((seed) => reference.has(seed)).length >= 2);
}
