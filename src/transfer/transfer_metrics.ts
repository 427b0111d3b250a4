/**
 * What a transfer run adds to its metrics.json: the collapse check and what
 * the backbone did. The run's full record (src/experiment/run_metrics.ts)
 * is these fields beside the metrics every run has; readers that only show
 * the transfer part (transfer_summary_table.ts) need no more than this.
 *
 * @module
 */
import type { TransferSection } from "./transfer_section.ts";

/** The transfer fields of a transfer run's metrics.json. */
export interface TransferMetrics {
  /** One line per split whose predictions collapsed onto one class; empty when none did. */
  warnings: string[];
  transfer: {
    backbone: string;
    kind: "layers" | "graph";
    mode: TransferSection["mode"];
    features: number | null;
    trainableBackboneLayers: number;
    /** Per split: whether its features were read from the cache or computed. */
    featureCache: Record<string, "cached" | "computed">;
    /** Seconds spent on features (reading or computing), all splits together. */
    featureSeconds: number;
  };
}
