/**
 * The comparison of runs as a table: the one layout that the terminal, the
 * CSV and markdown files, notebooks and the report all show.
 *
 * @module
 */
import type { Table } from "../viz/table.ts";
import { intervalText } from "../viz/interval_text.ts";
import type { ComparisonRow } from "./compare_runs.ts";

/**
 * Column headers and cell text of the comparison, one row per run, for the
 * viz renderers (`tableText`, `tableMarkdown`, `tableCsv`, `tableHtml`).
 *
 * @param rows From `compareRuns`.
 * @returns The table; every cell is text (intervals as `value [low, high]`, missing values empty).
 * @example
 * ```ts
 * const markdown = tableMarkdown(comparisonTable(await compareRuns("results")));
 * ```
 */
export function comparisonTable(rows: readonly ComparisonRow[]): Table & { headers: string[]; cells: string[][] } {
  const number = (v: number | null, digits = 3) => (v === null ? "" : v.toFixed(digits));
  return {
    headers: ["run", "name", "model", "backend", "status", "data", "epochs", "train s", "val acc [95% CI]", "val leak-free acc", "val macro-F1", "val ECE", "test acc [95% CI]", "test leak-free acc", "test macro-F1", "test ECE"],
    cells: rows.map((r) => [
      r.id,
      r.name,
      r.model,
      r.backend,
      r.status,
      r.synthetic ? "SYNTHETIC" : "real",
      String(r.epochs),
      number(r.trainSeconds, 0),
      intervalText(r.valAccuracy),
      intervalText(r.valLeakFreeAccuracy),
      number(r.valMacroF1),
      number(r.valEce),
      intervalText(r.testAccuracy),
      intervalText(r.testLeakFreeAccuracy),
      number(r.testMacroF1),
      number(r.testEce),
    ]),
  };
}
