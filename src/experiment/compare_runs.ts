/**
 * Side-by-side comparison of runs: one row per run, the figures that matter,
 * and the member diversity of the ensemble runs among them.
 *
 * @module
 */
import type { EnsembleMetrics } from "../ensemble/evaluate_ensemble.ts";
import type { MemberDiversity } from "../ensemble/member_diversity.ts";
import type { Interval } from "../eval/confidence_interval.ts";
import type { Figure } from "../viz/figures.ts";
import { comparisonFigure } from "../viz/run_figures.ts";
import type { RunMetrics } from "./evaluate_run.ts";
import type { RunConfig } from "./run_config.ts";
import type { RunManifest } from "./run_manifest.ts";
import { RunError } from "../core/errors.ts";
import { listRunIds, openRun, readRunJson, runState } from "./run_store.ts";

/** One row of the comparison table. */
export interface ComparisonRow {
  id: string;
  name: string;
  /** `run` for one model, `ensemble` for a combination of runs. */
  kind: "run" | "ensemble";
  /** The model family, or `ensemble:<combiner>`. */
  model: string;
  backend: string;
  status: string;
  synthetic: boolean;
  epochs: number;
  trainSeconds: number | null;
  valAccuracy: Interval | null;
  valMacroF1: number | null;
  /** Validation accuracy without the images that have a copy in train; null for runs evaluated before leak checks. */
  valLeakFreeAccuracy: Interval | null;
  testAccuracy: Interval | null;
  /** Test accuracy without the images that have a copy in train. */
  testLeakFreeAccuracy: Interval | null;
  testMacroF1: number | null;
  testEce: number | null;
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
    rows.push({
      id,
      name: config?.name ?? id,
      kind: ensemble ? "ensemble" : "run",
      model: ensemble ? `ensemble:${config?.combiner}` : modelLabel(config?.model),
      backend: String(manifest?.backend?.name ?? "?"),
      status: state.status,
      synthetic: manifest?.dataset?.synthetic ?? false,
      epochs: metrics?.epochsTrained ?? 0,
      trainSeconds: manifest?.durations?.trainSeconds ?? null,
      valAccuracy: metrics?.validation?.accuracyInterval ?? null,
      valMacroF1: metrics?.validation?.macroF1 ?? null,
      valLeakFreeAccuracy: metrics?.validation?.leakFree?.accuracyInterval ?? null,
      testAccuracy: metrics?.test?.accuracyInterval ?? null,
      testMacroF1: metrics?.test?.macroF1 ?? null,
      testLeakFreeAccuracy: metrics?.test?.leakFree?.accuracyInterval ?? null,
      testEce: metrics?.test?.expectedCalibrationError ?? null,
      note: state.note,
    });
  }
  return rows;
}

function damagedRow(id: string, note: string): ComparisonRow {
  return {
    id, name: id, kind: "run", model: "?", backend: "?", status: "damaged", synthetic: false, epochs: 0, trainSeconds: null,
    valAccuracy: null, valMacroF1: null, valLeakFreeAccuracy: null, testAccuracy: null, testLeakFreeAccuracy: null,
    testMacroF1: null, testEce: null, note,
  };
}

/** Column headers and cell text of the table, shared by every output format. */
export function comparisonTable(rows: readonly ComparisonRow[]): { headers: string[]; cells: string[][] } {
  const interval = (i: Interval | null) => (i ? `${i.value.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]` : "");
  const number = (v: number | null, digits = 3) => (v === null ? "" : v.toFixed(digits));
  return {
    headers: ["run", "name", "model", "backend", "status", "data", "epochs", "train s", "val acc [95% CI]", "val leak-free acc", "val macro-F1", "test acc [95% CI]", "test leak-free acc", "test macro-F1", "test ECE"],
    cells: rows.map((r) => [
      r.id,
      r.name,
      r.model,
      r.backend,
      r.status,
      r.synthetic ? "SYNTHETIC" : "real",
      String(r.epochs),
      number(r.trainSeconds, 0),
      interval(r.valAccuracy),
      interval(r.valLeakFreeAccuracy),
      number(r.valMacroF1),
      interval(r.testAccuracy),
      interval(r.testLeakFreeAccuracy),
      number(r.testMacroF1),
      number(r.testEce),
    ]),
  };
}

/**
 * The table as GitHub-flavoured markdown.
 *
 * @param rows Comparison rows.
 * @returns Markdown text.
 * @example
 * ```ts
 * console.log(comparisonMarkdown(await compareRuns("results")));
 * ```
 */
export function comparisonMarkdown(rows: readonly ComparisonRow[]): string {
  const { headers, cells } = comparisonTable(rows);
  const line = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...cells.map(line)].join("\n") + "\n";
}

/**
 * The table as CSV (RFC 4180 quoting).
 *
 * @param rows Comparison rows.
 * @returns CSV text with a header line.
 * @example
 * ```ts
 * const csv = comparisonCsv(rows);
 * ```
 */
export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  const { headers, cells } = comparisonTable(rows);
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [headers, ...cells].map((line) => line.map(field).join(",")).join("\n") + "\n";
}

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

/** The member diversity of one ensemble run. */
export interface EnsembleDiversity {
  id: string;
  name: string;
  diversity: MemberDiversity;
}

/**
 * Reads the member diversity (validation disagreement and error correlation)
 * of the ensemble runs among `rows`, in row order; other runs, and ensembles
 * without metrics yet, are skipped.
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
    if (metrics?.ensemble?.diversity) out.push({ id: row.id, name: row.name, diversity: metrics.ensemble.diversity });
  }
  return out;
}

// "transfer:<backbone>/<mode>" tells transfer runs apart; other families by name.
function modelLabel(model: { family?: string; backbone?: unknown; mode?: unknown } | undefined): string {
  if (!model?.family) return "?";
  return model.family === "transfer" ? `transfer:${String(model.backbone)}/${String(model.mode)}` : model.family;
}
