/**
 * `--name`, `--status` and `--sort` of `fer list` and `fer compare`: which
 * runs they show and in what order.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { RUN_ROW_STATUSES, RUN_SORTS, type RunSelection } from "../experiment/select_runs.ts";
import type { FlagSpec } from "./parse_args.ts";

/** The flags, for a command's parseArgs spec. */
export const RUN_SELECTION_FLAGS: FlagSpec = { name: "string", status: "string", sort: "string" };

/** The flags' lines for a command's help. */
export const RUN_SELECTION_HELP = `  --name GLOBS  only runs whose config name matches one of these globs,
               comma-separated (* any characters, ? one): --name 'best_fer2013*'
  --status S    only runs of these statuses, comma-separated: ${RUN_ROW_STATUSES.join(", ")}
  --sort KEY    time (oldest first; the default), val or test (highest
               accuracy on that split first, runs without one last; runs on
               other datasets, 4 or 7 classes, mix in: keep one with --name),
               name`;

/**
 * The selection the flags ask for, checked.
 *
 * @param flags Parsed flags.
 * @returns The selection; empty when none of the flags is given.
 * @throws {ConfigError} For an unknown status or sort key, or an empty pattern.
 * @example
 * ```ts
 * runSelectionFromFlags({ name: "best_*,small_cnn", sort: "val" }); // { names: ["best_*", "small_cnn"], sort: "val" }
 * ```
 */
export function runSelectionFromFlags(flags: Record<string, string | boolean>): RunSelection {
  const selection: RunSelection = {};
  if (typeof flags.name === "string") {
    const names = list(flags.name);
    if (names.length === 0) throw new ConfigError("Option --name is empty; give a config name or a glob, e.g. --name 'best_fer2013*'");
    selection.names = names;
  }
  if (typeof flags.status === "string") {
    const statuses = list(flags.status);
    const unknown = statuses.filter((status) => !(RUN_ROW_STATUSES as readonly string[]).includes(status));
    if (statuses.length === 0 || unknown.length > 0) {
      throw new ConfigError(`Option --status has ${unknown.length > 0 ? `"${unknown.join(", ")}"` : "no status"}; use one or more of ${RUN_ROW_STATUSES.join(", ")}`);
    }
    selection.statuses = statuses as (typeof RUN_ROW_STATUSES)[number][];
  }
  if (typeof flags.sort === "string") {
    if (!(RUN_SORTS as readonly string[]).includes(flags.sort)) throw new ConfigError(`Option --sort is "${flags.sort}"; use one of ${RUN_SORTS.join(", ")}`);
    selection.sort = flags.sort as (typeof RUN_SORTS)[number];
  }
  return selection;
}

/** Whether the selection keeps fewer than all runs (a sort alone keeps them all). */
export function filtersRuns(selection: RunSelection): boolean {
  return selection.names !== undefined || selection.statuses !== undefined;
}

/**
 * The filters given, as typed, for a message about what matched nothing.
 *
 * @param flags Parsed flags.
 * @returns E.g. `--name 'best_*' --status 'completed'`.
 * @example
 * ```ts
 * console.assert(selectionText({ name: "x*" }) === "--name 'x*'");
 * ```
 */
export function selectionText(flags: Record<string, string | boolean>): string {
  return ["name", "status"].filter((flag) => typeof flags[flag] === "string").map((flag) => `--${flag} '${flags[flag]}'`).join(" ");
}

function list(value: string): string[] {
  return value.split(",").map((part) => part.trim()).filter((part) => part !== "");
}
