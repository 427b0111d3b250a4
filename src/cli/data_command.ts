/**
 * `deno task fer data ...`: the dataset commands.
 *
 * @module
 */
import { type CliCommand, commandGroup } from "./cli_command.ts";
import { dataDatasheetCommand } from "./data_datasheet_command.ts";
import { dataImportCommand } from "./data_import_command.ts";
import { dataReportCommand } from "./data_report_command.ts";
import { dataSynthCommand } from "./data_synth_command.ts";

/** The `data` command group: import, report, synth. */
export const dataCommand: CliCommand = commandGroup("data", {
  summary: "Import, check and generate datasets",
  subcommands: { import: dataImportCommand, report: dataReportCommand, synth: dataSynthCommand, datasheet: dataDatasheetCommand },
});
