/**
 * Runs side by side per dataset: the dataset each run was trained on (its
 * metrics.json) and every dataset `fer eval` evaluated it on since
 * (evaluations.json), one row per run, dataset and split.
 *
 * @module
 */
import { basename } from "node:path";
import { RunError } from "../core/errors.ts";
import type { Interval } from "../eval/confidence_interval.ts";
import type { SplitMetrics } from "../eval/evaluate_predictions.ts";
import type { RunManifest } from "./run_manifest.ts";
import { type DatasetEvaluations, describeEvaluationSettings } from "./save_dataset_evaluation.ts";
import { listRunIds, openRun, readRunJson } from "./run_store.ts";

/** One run on one split of one dataset. */
export interface DatasetComparisonRow {
  /** Run id. */
  id: string;
  /** The run's config name. */
  name: string;
  /** The dataset's name (its root folder's name). */
  dataset: string;
  /** The dataset's content fingerprint (sha-256 hex); "" when the manifest has none. */
  fingerprint: string;
  /** True for the dataset the run was trained on; false for one `fer eval` evaluated it on. */
  trained: boolean;
  /** The split evaluated. */
  split: string;
  /** Evaluation settings other than the plain model: blur and test-time augmentation ("" for none). */
  settings: string;
  synthetic: boolean;
  /** Images evaluated. */
  count: number;
  /** Accuracy with its Wilson 95% interval. */
  accuracy: Interval;
  /**
   * Images without a copy in the run's training split, and the accuracy on
   * them; null where unknown: on another dataset nothing says which of its
   * images the run's training set holds.
   */
  leakFree: { count: number; accuracy: Interval } | null;
}

/**
 * Reads the rows of the runs (all, or the given ids), oldest run first; per
 * run its training dataset's validation and test, then its evaluations in
 * the order they were first made. Runs whose files cannot be read are left
 * out (`compareRuns` reports them).
 *
 * @param resultsRoot Results folder.
 * @param ids Run ids; empty for every run.
 * @returns The rows.
 * @example
 * ```ts
 * const rows = await compareDatasets("results", []);
 * console.log(tableText(datasetComparisonTable(rows)));
 * ```
 */
export async function compareDatasets(resultsRoot: string, ids: readonly string[] = []): Promise<DatasetComparisonRow[]> {
  const rows: DatasetComparisonRow[] = [];
  for (const id of ids.length > 0 ? ids : await listRunIds(resultsRoot)) {
    const run = await openRun(resultsRoot, id);
    let manifest, metrics, evaluations;
    try {
      manifest = await readRunJson<RunManifest>(run, "manifest");
      metrics = await readRunJson<{ validation?: SplitMetrics; test?: SplitMetrics; synthetic?: boolean }>(run, "metrics");
      evaluations = await readRunJson<DatasetEvaluations>(run, "evaluations");
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
      continue;
    }
    const name = manifest?.name ?? id;
    const trainedOn = manifest?.dataset?.fingerprint ?? "";
    const root = manifest?.dataset?.root ?? "";
    for (const split of ["validation", "test"] as const) {
      const m = metrics?.[split];
      if (!m) continue;
      rows.push(row(id, name, { dataset: basename(root), fingerprint: trainedOn, trained: true, split, settings: "", synthetic: metrics?.synthetic ?? false }, m, true));
    }
    for (const e of evaluations?.evaluations ?? []) {
      const settings = describeEvaluationSettings(e);
      // Leak-free counts are against the evaluated root's own train split: only the run's own dataset makes that the run's training set.
      const own = trainedOn !== "" && e.fingerprint === trainedOn;
      for (const [split, m] of Object.entries(e.splits)) {
        rows.push(row(id, name, { dataset: e.dataset, fingerprint: e.fingerprint, trained: false, split, settings, synthetic: e.synthetic }, m, own));
      }
    }
  }
  return rows;
}

function row(
  id: string,
  name: string,
  facts: Pick<DatasetComparisonRow, "dataset" | "fingerprint" | "trained" | "split" | "settings" | "synthetic">,
  m: SplitMetrics,
  leakFreeKnown: boolean,
): DatasetComparisonRow {
  const leakFree = leakFreeKnown && m.leakFree && facts.split !== "train" ? { count: m.leakFree.count, accuracy: m.leakFree.accuracyInterval } : null;
  return { id, name, ...facts, count: m.count, accuracy: m.accuracyInterval, leakFree };
}
