/**
 * Per-class errors of one split: recall, error count and the class each one
 * is most often taken for.
 *
 * @module
 */
import type { SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { Table } from "../viz/table.ts";

/**
 * A table with one row per true class: support, precision, recall, F1,
 * errors, and the most frequent wrong prediction with its share of the errors
 * (ties go to the class listed first).
 *
 * @param metrics One split of a run's metrics.json (`metrics.test`).
 * @param classes Class names in label order (`metrics.classes`).
 * @param options `caption` of the table. @default "Per-class errors"
 * @returns The table.
 * @example
 * ```ts
 * const table = perClassErrorTable(metrics.test!, metrics.classes);
 * console.assert(table.cells.length === metrics.classes.length);
 * ```
 */
export function perClassErrorTable(
  metrics: SplitMetrics,
  classes: readonly string[],
  options: { caption?: string } = {},
): Table {
  return {
    caption: options.caption ?? "Per-class errors",
    headers: ["class", "support", "precision", "recall", "F1", "errors", "most often taken for", "share of errors"],
    decimals: [null, 0, 3, 3, 3, 0, null, null],
    cells: classes.map((name, t) => {
      const row = metrics.confusion[t] ?? [];
      const support = row.reduce((a, b) => a + b, 0);
      const errors = support - (row[t] ?? 0);
      let worst = -1;
      row.forEach((count, p) => {
        if (p !== t && count > 0 && (worst < 0 || count > row[worst])) worst = p;
      });
      const scores = metrics.perClass[name];
      return [
        name,
        support,
        scores?.precision ?? null,
        scores?.recall ?? null,
        scores?.f1 ?? null,
        errors,
        worst < 0 ? "" : classes[worst],
        worst < 0 ? "" : `${((100 * row[worst]) / errors).toFixed(0)} %`,
      ];
    }),
  };
}
