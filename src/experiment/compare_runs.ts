/**
 * Side-by-side comparison of runs, computed: one row per run with the
 * figures that matter, and the member diversity of the ensemble runs among
 * them. The formats are elsewhere: `comparisonTable` (a viz Table, rendered
 * by the viz renderers) and `runsComparisonFigure`.
 *
 * @module
 */
import type { EnsembleMetrics, MemberDiversity, RunMetrics } from "./run_metrics.ts";
import type { Interval } from "../eval/confidence_interval.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunManifest } from "./run_manifest.ts";
import { RunError } from "../core/errors.ts";
import { backendLabel } from "../backend/backend_info.ts";
import { listRunIds, openRun, readHistory, readRunJson, type RunHandle, runState } from "./run_store.ts";

/** One row of the comparison table. */
export interface ComparisonRow {
  id: string;
  name: string;
  /** `run` for one model, `ensemble` for a combination of runs. */
  kind: "run" | "ensemble";
  /** The model family, or `ensemble:<combiner>`. */
  model: string;
  /** The run's seed (its manifest's, else its config's: a training seed; an ensemble's seeds its combiner); null when unreadable. */
  seed: number | null;
  backend: string;
  status: string;
  synthetic: boolean;
  epochs: number;
  trainSeconds: number | null;
  valAccuracy: Interval | null;
  valMacroF1: number | null;
  /** Expected calibration error on validation (15 bins): how far confidence is from accuracy. */
  valEce: number | null;
  /** Validation accuracy without the images that have a copy in train; null for runs evaluated before leak checks. */
  valLeakFreeAccuracy: Interval | null;
  testAccuracy: Interval | null;
  /** Test accuracy without the images that have a copy in train. */
  testLeakFreeAccuracy: Interval | null;
  testMacroF1: number | null;
  testEce: number | null;
  /**
   * A run that has not completed (running, interrupted, failed, stale): the
   * epochs in its history.csv, the epochs its config asks for and the mean
   * seconds of the finished ones. Null for completed runs and ensembles.
   */
  progress?: { done: number; planned: number; meanEpochSeconds: number | null } | null;
  /**
   * What is wrong or worth knowing: for a `damaged` run the file that cannot
   * be read and why; for a `stale` run which process is gone and what
   * survived. Null or absent otherwise.
   */
  note?: string | null;
}

/**
 * Reads the runs (all, or the given ids) into comparison rows, oldest first.
 * Runs without metrics (still running, failed) are listed with empty scores.
 *
 * @param resultsRoot Results folder.
 * @param ids Run ids; empty for every run.
 * @returns The rows.
 * @example
 * ```ts
 * const rows = await compareRuns("results", []);
 * ```
 */
export async function compareRuns(resultsRoot: string, ids: readonly string[] = []): Promise<ComparisonRow[]> {
  const chosen = ids.length > 0 ? ids : await listRunIds(resultsRoot);
  const rows: ComparisonRow[] = [];
  for (const id of chosen) {
    const run = await openRun(resultsRoot, id);
    let config, manifest, metrics;
    try {
      config = await readRunJson<RunConfig & { kind?: string; combiner?: string }>(run, "config");
      manifest = await readRunJson<RunManifest>(run, "manifest");
      metrics = await readRunJson<RunMetrics>(run, "metrics");
    } catch (error) {
      // One damaged run is listed as damaged; the others are still read.
      if (!(error instanceof RunError)) throw error;
      rows.push(damagedRow(id, error.message));
      continue;
    }
    const state = await runState(run, manifest);
    const ensemble = config?.kind === "ensemble";
    const planned = config?.training?.epochs;
    const progress = !ensemble && state.status !== "completed" && typeof planned === "number" ? await epochProgress(run, planned) : null;
    rows.push({
      id,
      name: config?.name ?? id,
      kind: ensemble ? "ensemble" : "run",
      model: ensemble ? `ensemble:${config?.combiner}` : modelLabel(config?.model),
      seed: typeof manifest?.seed === "number" ? manifest.seed : typeof config?.seed === "number" ? config.seed : null,
      backend: backendLabel(manifest?.backend),
      status: state.status,
      synthetic: manifest?.dataset?.synthetic ?? false,
      epochs: metrics?.epochsTrained ?? 0,
      trainSeconds: manifest?.durations?.trainSeconds ?? null,
      valAccuracy: metrics?.validation?.accuracyInterval ?? null,
      valMacroF1: metrics?.validation?.macroF1 ?? null,
      valEce: metrics?.validation?.expectedCalibrationError ?? null,
      valLeakFreeAccuracy: metrics?.validation?.leakFree?.accuracyInterval ?? null,
      testAccuracy: metrics?.test?.accuracyInterval ?? null,
      testMacroF1: metrics?.test?.macroF1 ?? null,
      testLeakFreeAccuracy: metrics?.test?.leakFree?.accuracyInterval ?? null,
      testEce: metrics?.test?.expectedCalibrationError ?? null,
      progress,
      note: state.note,
    });
  }
  return rows;
}

function damagedRow(id: string, note: string): ComparisonRow {
  return {
    id, name: id, kind: "run", model: "?", seed: null, backend: "?", status: "damaged", synthetic: false, epochs: 0, trainSeconds: null,
    valAccuracy: null, valMacroF1: null, valEce: null, valLeakFreeAccuracy: null, testAccuracy: null, testLeakFreeAccuracy: null,
    testMacroF1: null, testEce: null, note,
  };
}

/** The member diversity of one ensemble run. */
export interface EnsembleDiversity {
  id: string;
  name: string;
  diversity: MemberDiversity;
}

/**
 * Reads the member diversity (validation disagreement and error correlation)
 * of the ensemble runs among `rows`, in row order; other runs, ensembles
 * without metrics yet and one-member ensembles (a way to score one run with
 * TTA: they have no pair to compare) are skipped.
 *
 * @param resultsRoot Results folder.
 * @param rows From `compareRuns`.
 * @returns One entry per ensemble run with metrics.
 * @example
 * ```ts
 * for (const { id, diversity } of await ensembleDiversities("results", rows)) console.log(id, diversityTable(diversity));
 * ```
 */
export async function ensembleDiversities(resultsRoot: string, rows: readonly ComparisonRow[]): Promise<EnsembleDiversity[]> {
  const out: EnsembleDiversity[] = [];
  for (const row of rows.filter((r) => r.kind === "ensemble")) {
    const metrics = await readRunJson<EnsembleMetrics>(await openRun(resultsRoot, row.id), "metrics");
    const diversity = metrics?.ensemble?.diversity;
    if (diversity && diversity.members.length >= 2) out.push({ id: row.id, name: row.name, diversity });
  }
  return out;
}

// "transfer:<backbone>/<mode>" tells transfer runs apart; other families by name.
function modelLabel(model: { family?: string; backbone?: unknown; mode?: unknown } | undefined): string {
  if (!model?.family) return "?";
  return model.family === "transfer" ? `transfer:${String(model.backbone)}/${String(model.mode)}` : model.family;
}

/** How far an unfinished run got: its finished epochs (history.csv), the planned ones, and their mean duration. */
async function epochProgress(run: RunHandle, planned: number): Promise<NonNullable<ComparisonRow["progress"]>> {
  const rows = await readHistory(run);
  const seconds = rows.map((row) => row.seconds).filter(Number.isFinite);
  const mean = seconds.length > 0 ? seconds.reduce((sum, s) => sum + s, 0) / seconds.length : null;
  return { done: rows.length, planned, meanEpochSeconds: mean };
}
