/**
 * One table row per transfer run: what its backbone did, and its collapse
 * check, read from the run's metrics.json.
 *
 * @module
 */
import type { Table } from "../viz/table.ts";
import type { TransferMetrics as TransferRunMetrics } from "./transfer_metrics.ts";

/**
 * Builds the table. Runs that are not transfer runs (no `transfer` section in
 * their metrics) are left out.
 *
 * @param runs Each run's label and its metrics.json contents.
 * @returns Columns: run, backbone, mode, features, trainable backbone layers, feature cache use,
 *   seconds spent on features, and the collapse warnings ("none" when there are none).
 * @example
 * ```ts
 * const table = transferSummaryTable(results.map((r) => ({ label: r.label, metrics: r.metrics })));
 * console.assert(table.headers[1] === "backbone");
 * ```
 */
export function transferSummaryTable(runs: readonly { label: string; metrics: object }[]): Table {
  const rows = runs.flatMap(({ label, metrics }) => {
    const transfer = (metrics as Partial<TransferRunMetrics>).transfer;
    if (transfer === undefined) return [];
    const warnings = (metrics as Partial<TransferRunMetrics>).warnings ?? [];
    const cache = Object.entries(transfer.featureCache).map(([split, use]) => `${split} ${use}`).join(", ");
    return [[
      label,
      transfer.backbone,
      transfer.mode,
      transfer.features,
      transfer.trainableBackboneLayers,
      cache || "none",
      Math.round(transfer.featureSeconds * 10) / 10,
      warnings.length === 0 ? "none" : warnings.join(" | "),
    ]];
  });
  return {
    caption: "Transfer runs: backbone, features, and the collapse check",
    headers: ["run", "backbone", "mode", "features", "trainable backbone layers", "feature cache", "feature s", "collapse warnings"],
    cells: rows,
  };
}
