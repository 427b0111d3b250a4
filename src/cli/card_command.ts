/**
 * `deno task fer card <run>`: the run's model card.
 *
 * @module
 */
import { writeModelCard } from "../card/write_model_card.ts";
import { openRun } from "../experiment/run_store.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer card <run-id> [--datasheet FILE]

Writes the run's model card into its folder: MODEL_CARD.md for people and
model_card.json with the Model Card Toolkit's fields (model_details,
model_parameters, quantitative_analysis, considerations). It holds model
details, intended and out-of-scope uses, the training data (with its datasheet
when there is one), metrics with 95% intervals per split and class,
leak-free metrics and calibration from metrics.json, the robustness summary
from robustness.json, disaggregated metrics from fairness.json, limitations,
trade-offs and ethical considerations. Every number comes from the run
folder; what is missing (no robustness.json, no fairness.json, no datasheet)
is listed as not measured, with the command that makes it.

  --datasheet  a datasheet.json (default: results/datasheets/<dataset folder>/datasheet.json,
               written by deno task fer data datasheet <root>, when it exists)

Example: deno task fer data datasheet ../shared/data/facial_emotion_images
         deno task fer robustness <run-id>
         deno task fer card <run-id>
`;

/** The `card` command. */
export const cardCommand: CliCommand = {
  summary: "Write a run's model card (MODEL_CARD.md, model_card.json)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, { command: "card", flags: { datasheet: "string" }, positionals: [1, 1] });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { resultsRoot } = workbenchPaths(io.env);
    const run = await openRun(resultsRoot, parsed.positionals[0]);
    const { card, files } = await writeModelCard(run, {
      resultsRoot,
      datasheetPath: typeof parsed.flags.datasheet === "string" ? parsed.flags.datasheet : undefined,
    });
    io.out(
      `Model card of ${run.id}: ${card.quantitative_analysis.performance_metrics.length} metrics, ${card.considerations.limitations.length} limitations\n` +
        (card.sources.missing.length ? `Not in the card (missing): ${card.sources.missing.join("; ")}\n` : "") +
        `Wrote ${files.join(" and ")}\n`,
    );
    return 0;
  },
};
