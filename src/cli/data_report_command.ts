/**
 * `deno task fer data report`: checks a dataset and writes the report files.
 *
 * @module
 */
import { basename, join, resolve } from "node:path";
import { dataReport } from "../data/data_report.ts";
import { formatDataReport } from "../data/format_data_report.ts";
import { ConfigError } from "../core/errors.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { parseClassList } from "./parse_class_list.ts";

const HELP = `Usage: deno task fer data report <root> [--out dir] [--classes a,b] [--hamming N]

Checks a dataset laid out as <root>/<split>/<class>/<image>: counts, image size
and mode, unreadable files, exact duplicates (within and across splits, and the
same image under two labels), near duplicates across splits (perceptual hash),
blank and low-contrast images, sharpness per split, and mean faces per class.

  <root>       the dataset folder
  --out        where to write report.json, report.md, counts.html and
               mean_faces.png (default: results/data_report/<root name>)
  --classes    class names in label order, comma-separated
               (default: happy,sad,surprise,neutral)
  --hamming    near-duplicate threshold in bits of 64 (default: 6)

Example: deno task fer data report ../shared/data/facial_emotion_images
`;

/** The `data report` command. */
export const dataReportCommand: CliCommand = {
  summary: "Check a dataset: counts, duplicates, near duplicates, blank images, mean faces",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "data report",
      flags: { out: "string", classes: "string", hamming: "string" },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const root = parsed.positionals[0];
    const { classes, hamming } = parsed.flags;
    const outDir = typeof parsed.flags.out === "string"
      ? parsed.flags.out
      : join("results", "data_report", basename(resolve(root)));
    const threshold = hamming === undefined ? undefined : Number(hamming);
    if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 0 && threshold <= 64)) {
      throw new ConfigError(`Option --hamming is "${hamming}"; pass a whole number of bits from 0 to 64, e.g. 6`);
    }
    io.out(`Checking ${root} ...\n`);
    const started = performance.now();
    const report = await dataReport(root, {
      classes: typeof classes === "string" ? parseClassList(classes) : undefined,
      hammingThreshold: threshold,
      outDir,
    });
    io.out(formatDataReport(report));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.out(`\nChecked ${report.total} images in ${seconds} s. Wrote report.json, report.md, counts.html and mean_faces.png to ${outDir}\n`);
    return 0;
  },
};
