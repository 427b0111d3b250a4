/**
 * `deno task fer compare [runs...]`: every run side by side.
 *
 * @module
 */
import { join } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import * as dfd from "danfojs";
import { type ComparisonRow, comparisonCsv, comparisonMarkdown, compareRuns, comparisonTable, runsComparisonFigure } from "../experiment/compare_runs.ts";
import { saveFigureHtml } from "../viz/save_figure_html.ts";
import { exportFigureImages } from "../viz/export_figure_images.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer compare [run-id ...] [--out DIR] [--no-images]

Prints a table of runs (all runs when none are named): model, backend, data,
epochs, training time, validation and test accuracy with 95% intervals,
macro-F1 and calibration error. Writes comparison.csv, comparison.md and the
comparison plot (HTML, PNG, SVG) to --out (default results/compare).

Example: deno task fer compare
`;

/** The `compare` command. */
export const compareCommand: CliCommand = {
  summary: "Compare runs: a table (terminal, CSV, markdown) and a plot",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "compare", flags: { out: "string", "no-images": "boolean" }, positionals: [0, 1000] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { resultsRoot } = workbenchPaths(io.env);
    const rows = await compareRuns(resultsRoot, parsed.positionals);
    if (rows.length === 0) {
      io.out(`No runs in ${resultsRoot}; start one with: deno task fer run experiments/small_cnn.json\n`);
      return 0;
    }
    io.out(terminalTable(rows) + "\n");
    const out = typeof parsed.flags.out === "string" ? parsed.flags.out : join(resultsRoot, "compare");
    await mkdir(out, { recursive: true });
    await writeFile(join(out, "comparison.csv"), comparisonCsv(rows));
    await writeFile(join(out, "comparison.md"), comparisonMarkdown(rows));
    const figure = runsComparisonFigure(rows);
    await saveFigureHtml(figure, join(out, "comparison.html"), { title: "Run comparison" });
    if (parsed.flags["no-images"] !== true) {
      try {
        await exportFigureImages([{ figure, basePath: join(out, "comparison") }]);
      } catch (error) {
        io.err(`PNG/SVG skipped: ${(error as Error).message}\n`);
      }
    }
    io.out(`Wrote ${join(out, "comparison.{csv,md,html}")}\n`);
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
function terminalTable(rows: readonly ComparisonRow[]): string {
  const { headers, cells } = comparisonTable(rows);
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
