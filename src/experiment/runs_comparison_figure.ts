/**
 * The comparison of runs handed to viz as a figure.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import { comparisonFigure } from "../viz/run_figures.ts";
import type { ComparisonRow } from "./compare_runs.ts";

/**
 * Bars of validation and test accuracy per run, with Wilson 95% whiskers, in
 * row order; runs without metrics are left out. Labels are
 * `<name> val|test (<id tail>)`, as in `deno task fer compare`.
 *
 * @param rows From `compareRuns`.
 * @returns The figure (no bars when no run has metrics).
 * @example
 * ```ts
 * const figure = runsComparisonFigure(await compareRuns(params.resultsRoot));
 * ```
 */
export function runsComparisonFigure(rows: readonly ComparisonRow[]): Figure {
  return comparisonFigure(
    rows.filter((r) => r.valAccuracy !== null).flatMap((r) => [
      { label: `${r.name} val (${r.id.slice(-6)})`, ...r.valAccuracy! },
      ...(r.testAccuracy ? [{ label: `${r.name} test (${r.id.slice(-6)})`, ...r.testAccuracy }] : []),
    ]),
    "accuracy",
  );
}
