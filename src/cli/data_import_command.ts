/**
 * `deno task fer data import`: imports a zip, fer2013.csv or folder.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { formatImportSummary } from "../data/format_import_summary.ts";
import { importDataset, type ImportKind } from "../data/import_dataset.ts";
import type { CliCommand } from "./cli_command.ts";
import { parseArgs } from "./parse_args.ts";
import { parseClassList } from "./parse_class_list.ts";

const HELP = `Usage: deno task fer data import <source> --out data/<name> [--classes a,b] [--kind zip|csv|folder] [--overwrite [--force]]

Imports a dataset into <out>/<split>/<class>/<image>.

  <source>     a .zip of the folder layout (a wrapping top folder and __MACOSX/
               clutter are fine), FER-2013's fer2013.csv (one PNG per row:
               Training -> train, PublicTest -> validation, PrivateTest -> test),
               or a dataset folder (copied)
  --out        folder to create (required); must be missing or empty. Never the
               current folder, one above it, the home folder or /
  --classes    keep only these classes, comma-separated (default: all)
  --kind       zip, csv or folder (default: detected from the source)
  --overwrite  replace a non-empty --out, only once the import has succeeded
               (it is written to a hidden folder beside --out, then swapped in;
               a failed import leaves --out as it was)
  --force      with --overwrite, also replace a folder that does not look like
               a dataset (anything besides train/, validation/, test/)

Example: deno task fer data import ~/Downloads/Facial_emotion_images.zip --out data/facial_emotion_images
`;

/** The `data import` command. */
export const dataImportCommand: CliCommand = {
  summary: "Import a dataset from a .zip, fer2013.csv or folder",
  help: HELP,
  async run(args, io) {
    const parsed = parseArgs(args, {
      command: "data import",
      flags: { out: "string", classes: "string", kind: "string", overwrite: "boolean", force: "boolean" },
      positionals: [1, 1],
    });
    if (parsed.help) {
      io.out(HELP);
      return 0;
    }
    const { out, classes, kind, overwrite, force } = parsed.flags;
    if (force === true && overwrite !== true) {
      throw new ConfigError("Option --force only applies with --overwrite; add --overwrite to replace the output folder");
    }
    if (typeof out !== "string") {
      throw new ConfigError("Missing --out for data import; pass the folder to create, e.g. --out data/fer2013");
    }
    if (kind !== undefined && !["zip", "csv", "folder"].includes(String(kind))) {
      throw new ConfigError(`Unknown --kind "${kind}"; known: zip, csv, folder`);
    }
    io.out(`Importing ${parsed.positionals[0]} ...\n`);
    const summary = await importDataset(parsed.positionals[0], {
      out,
      classes: typeof classes === "string" ? parseClassList(classes) : undefined,
      kind: kind as ImportKind | undefined,
      overwrite: overwrite === true,
      force: force === true,
    });
    io.out(formatImportSummary(summary));
    io.out(`\nNext: deno task fer data report ${out}\n`);
    return 0;
  },
};
