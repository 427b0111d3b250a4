/**
 * The per-dataset comparison as a table, for the viz renderers.
 *
 * @module
 */
import type { Table } from "../viz/table.ts";
import { intervalText } from "../viz/interval_text.ts";
import type { DatasetComparisonRow } from "./compare_datasets.ts";

/**
 * One line per run, dataset and split: the dataset's name and the first 12
 * hex digits of its fingerprint, whether the run was trained on it, the
 * settings, n and accuracy with its 95% interval, and the leak-free n and
 * accuracy where known (empty otherwise).
 *
 * @param rows From `compareDatasets`.
 * @returns The table; every cell is text.
 * @example
 * ```ts
 * const table = datasetComparisonTable(await compareDatasets("results"));
 * console.assert(table.headers[2] === "dataset");
 * ```
 */
export function datasetComparisonTable(rows: readonly DatasetComparisonRow[]): Table & { headers: string[]; cells: string[][] } {
  return {
    headers: ["run", "name", "dataset", "fingerprint", "role", "split", "n", "acc [95% CI]", "leak-free n", "leak-free acc [95% CI]"],
    cells: rows.map((r) => [
      r.id,
      r.name,
      r.dataset + (r.synthetic ? " (SYNTHETIC)" : ""),
      r.fingerprint.slice(0, 12),
      (r.trained ? "trained on" : "eval") + (r.settings ? ` (${r.settings})` : ""),
      r.split,
      String(r.count),
      intervalText(r.accuracy),
      r.leakFree ? String(r.leakFree.count) : "",
      intervalText(r.leakFree?.accuracy ?? null),
    ]),
  };
}
