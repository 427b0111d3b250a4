/**
 * Which saved runs a listing or a comparison shows, and in what order: by the
 * config's name (globs), by status, sorted by time or by a score. A results
 * folder of a few hundred runs is read by these, not by run ids typed out.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { ComparisonRow } from "./compare_runs.ts";

/** The statuses a run row can have (the manifest's four, `stale` and `damaged`; see runState and compareRuns). */
export const RUN_ROW_STATUSES = ["running", "completed", "interrupted", "failed", "stale", "damaged"] as const;

/** Orders of {@linkcode selectRuns}: `time`, oldest first (the listing's own); the others best or first first. */
export const RUN_SORTS = ["time", "val", "test", "name"] as const;

/** What {@linkcode selectRuns} keeps and how it orders it. Every part is optional: none keeps all, oldest first. */
export interface RunSelection {
  /** Globs on the config's name (`*` any characters, `?` one); a run matching any of them is kept. */
  names?: readonly string[];
  /** Statuses kept (see {@linkcode RUN_ROW_STATUSES}). */
  statuses?: readonly (typeof RUN_ROW_STATUSES)[number][];
  /**
   * `time`: oldest first; `val` and `test`: the highest accuracy on that split first, runs without one last (oldest
   * first among them); `name`: by config name, then oldest first. @default "time"
   */
  sort?: (typeof RUN_SORTS)[number];
}

/**
 * Keeps the rows a selection asks for, in its order. Rows come oldest first
 * (as compareRuns reads them), and ties keep that order.
 *
 * @param rows From compareRuns, oldest first.
 * @param selection See {@linkcode RunSelection}.
 * @returns The rows kept, ordered.
 * @example
 * ```ts
 * const best = selectRuns(await compareRuns("results"), { names: ["best_fer2013*"], statuses: ["completed"], sort: "val" });
 * console.log(best[0]?.id);
 * ```
 */
export function selectRuns(rows: readonly ComparisonRow[], selection: RunSelection = {}): ComparisonRow[] {
  const matchers = (selection.names ?? []).map(globMatcher);
  const statuses = selection.statuses ?? [];
  const kept = rows.filter((row) =>
    (matchers.length === 0 || matchers.some((matches) => matches(row.name))) &&
    (statuses.length === 0 || statuses.some((status) => status === row.status))
  );
  const sort = selection.sort ?? "time";
  if (sort === "time") return kept;
  // Array.prototype.sort is stable: equal keys keep the oldest-first order.
  if (sort === "name") return kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const score = (row: ComparisonRow) => (sort === "val" ? row.valAccuracy : row.testAccuracy)?.value ?? -Infinity;
  return kept.sort((a, b) => score(b) - score(a));
}

/**
 * A test of a whole name against a glob: `*` stands for any characters
 * (none too), `?` for one; everything else for itself.
 *
 * @param glob E.g. `best_fer2013_crop40_seed*`.
 * @returns Whether a name matches.
 * @throws {ConfigError} For an empty glob.
 * @example
 * ```ts
 * console.assert(globMatcher("best_*_seed?")("best_fer2013_seed7"));
 * ```
 */
export function globMatcher(glob: string): (name: string) => boolean {
  if (glob === "") throw new ConfigError("An empty name pattern matches no run; give a config name, or a glob such as best_fer2013*");
  const pattern = glob.split("").map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  const regex = new RegExp(`^${pattern}$`, "s");
  return (name) => regex.test(name);
}
