/**
 * `deno task fer data datasheet <root>`: the dataset's datasheet.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { datasheetTemplateText } from "../card/datasheet_template_text.ts";
import { ConfigError } from "../core/errors.ts";
import { DATASHEET_ANSWERS_FOLDER, prepareDatasheet, writeDatasheet } from "../card/write_datasheet.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { parseClassList } from "./parse_class_list.ts";
import { workbenchPaths } from "./workbench_paths.ts";

const HELP = `Usage: deno task fer data datasheet <root> [--answers FILE] [--report FILE] [--out DIR] [--classes a,b]
       deno task fer data datasheet --template FILE

Writes the dataset's datasheet (Gebru et al., Datasheets for Datasets: motivation,
composition, collection, preprocessing, uses, distribution, maintenance) as
datasheet.md and datasheet.json. Counts, class balance, duplicates within and
across splits (leakage), near duplicates, images under two labels, blank images,
image format and sharpness are measured (as fer data report does); what a
program cannot know (purpose, who collected the faces, consent, licence,
maintenance) comes from an answers file (YAML or JSON) you complete. Unanswered
questions are listed as not known, never guessed.

  --answers   the answers file, .yaml/.yml or .json (default: ${DATASHEET_ANSWERS_FOLDER}/<root folder
              name>.yaml, .yml or .json, the first that exists; the project ships
              ${DATASHEET_ANSWERS_FOLDER}/facial_emotion_images.json)
  --report    a report.json from deno task fer data report, to skip re-reading the images
  --out       output folder (default: results/datasheets/<root folder name>)
  --classes   class names in label order, comma-separated (default: happy,sad,surprise,neutral)
  --template  write an answers file with every question as a TODO, then stop
              (YAML with the questions as comments for .yaml/.yml, JSON for .json)

Example: deno task fer data datasheet --template answers.yaml
         deno task fer data datasheet ../shared/data/facial_emotion_images --answers answers.yaml
`;

/** The `data datasheet` command. */
export const dataDatasheetCommand: CliCommand = {
  summary: "Write a dataset's datasheet (measured facts + your answers)",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "data datasheet",
      flags: { answers: "string", report: "string", out: "string", classes: "string", template: "string" },
      positionals: [0, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    if (typeof parsed.flags.template === "string") {
      const path = parsed.flags.template;
      const extension = extname(path).toLowerCase();
      if (![".yaml", ".yml", ".json"].includes(extension)) {
        throw new ConfigError(`--template ${path}: name the file .yaml, .yml or .json, so the format is known (YAML lists each question as a comment)`);
      }
      await writeFile(path, datasheetTemplateText(extension === ".json" ? "json" : "yaml"), { flag: "wx" }).catch((error) => {
        throw new ConfigError(
          error.code === "EEXIST" ? `File ${path} exists; --template never overwrites: pick a new name or delete it` : `Cannot write ${path}: ${error.message}`,
        );
      });
      io.out(`Wrote ${parsed.flags.template}: replace each TODO (or delete it), then pass it with --answers\n`);
      return 0;
    }
    if (parsed.positionals.length !== 1) {
      io.err(`data datasheet needs one dataset root (or --template FILE); run deno task fer data datasheet --help\n`);
      return 1;
    }
    const root = parsed.positionals[0];
    const { projectRoot, resultsRoot } = workbenchPaths(io.env);
    const { sheet, answersPath } = await prepareDatasheet(root, {
      projectRoot,
      answersPath: typeof parsed.flags.answers === "string" ? parsed.flags.answers : undefined,
      reportPath: typeof parsed.flags.report === "string" ? parsed.flags.report : undefined,
      classes: typeof parsed.flags.classes === "string" ? parseClassList(parsed.flags.classes) : undefined,
    });
    const out = typeof parsed.flags.out === "string" ? parsed.flags.out : join(resultsRoot, "datasheets", basename(resolve(root)));
    const files = await writeDatasheet(sheet, out);
    io.out(
      `Datasheet of ${sheet.name}${sheet.synthetic ? " (SYNTHETIC)" : ""}: answers from ${answersPath ?? "nowhere (no answers file)"}; ` +
        `${sheet.unanswered} questions unanswered\nWrote ${files.join(" and ")}\n`,
    );
    return 0;
  },
};
