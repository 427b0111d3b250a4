/**
 * The sweep's figures: parallel coordinates over parameters and validation
 * accuracy, and validation accuracy against each parameter (every trial,
 * and each setting's mean ± SD across seeds).
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** What the sweep figures read of a trial (a sweep's `TrialRecord` has it). */
export interface SweepTrial {
  /** Trial key, e.g. `t001-seed1`. */
  key: string;
  seed: number;
  /** Parameter values by dotted path. */
  params: Record<string, unknown>;
  /** Only `completed` trials with metrics are drawn. */
  status: string;
  metrics: { valAccuracy: number } | null;
}

/** What {@linkcode metricByParameterFigure} reads of a sweep summary (`summarizeSweep` gives it). */
export interface SweepSettingsSummary {
  settings: readonly {
    setting: string;
    params: Record<string, unknown>;
    /** Validation accuracy across seeds. */
    valAccuracy: { count: number; mean: number; sd: number };
  }[];
}

/**
 * Parallel coordinates: one axis per parameter (categories as indices with
 * their labels) and one for validation accuracy; one line per completed
 * trial, coloured by validation accuracy.
 *
 * @param records The sweep's trial records (only completed ones are drawn).
 * @returns A plotly `parcoords` figure.
 * @example
 * ```ts
 * const figure = parallelCoordinatesFigure(records);
 * console.assert(figure.data[0].type === "parcoords");
 * ```
 */
export function parallelCoordinatesFigure(records: readonly SweepTrial[]): Figure {
  const done = records.filter((r) => r.status === "completed" && r.metrics);
  const paths = [...new Set(done.flatMap((r) => Object.keys(r.params)))];
  const accuracy = done.map((r) => r.metrics!.valAccuracy);
  const dimensions: Record<string, unknown>[] = paths.map((path) => {
    const values = done.map((r) => r.params[path]);
    if (values.every((v) => typeof v === "number")) return { label: path, values };
    const labels = [...new Set(values.map((v) => JSON.stringify(v)))];
    return { label: path, values: values.map((v) => labels.indexOf(JSON.stringify(v))), tickvals: labels.map((_, i) => i), ticktext: labels };
  });
  const seeds = [...new Set(done.map((r) => r.seed))].sort((a, b) => a - b);
  dimensions.push({ label: "seed", values: done.map((r) => r.seed), tickvals: seeds, ticktext: seeds.map(String) });
  dimensions.push({ label: "val accuracy", values: accuracy });
  return {
    data: [{ type: "parcoords", line: { color: accuracy, colorscale: "Viridis", showscale: true, colorbar: { title: { text: "val acc" } } }, dimensions }],
    layout: { title: { text: `Trials: parameters and validation accuracy (${done.length} completed)` }, margin: { l: 80, r: 80 } },
  };
}

/**
 * Validation accuracy against one parameter: each completed trial as a dot,
 * each setting's mean as a marker with ± SD whiskers across seeds. A
 * numeric parameter spanning 20x or more gets a log axis.
 *
 * @param records The sweep's trial records.
 * @param summary From `summarizeSweep` (the per-setting means).
 * @param path The parameter's dotted path.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = metricByParameterFigure(records, summarizeSweep(records), "training.optimizer.learningRate");
 * console.assert(figure.data.length === 2);
 * ```
 */
export function metricByParameterFigure(records: readonly SweepTrial[], summary: SweepSettingsSummary, path: string): Figure {
  const done = records.filter((r) => r.status === "completed" && r.metrics);
  const show = (v: unknown) => (typeof v === "number" ? v : JSON.stringify(v));
  const settings = summary.settings.filter((s) => s.valAccuracy.count > 0);
  const numeric = done.every((r) => typeof r.params[path] === "number");
  const values = done.map((r) => r.params[path] as number);
  const logAxis = numeric && values.length > 0 && Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 20;
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: "trial (one seed)",
        x: done.map((r) => show(r.params[path])),
        y: done.map((r) => r.metrics!.valAccuracy),
        text: done.map((r) => `${r.key}`),
        marker: { size: 7, opacity: 0.5 },
      },
      {
        type: "scatter",
        mode: "markers+text",
        name: "setting mean ± SD",
        textposition: "middle right",
        cliponaxis: false,
        x: settings.map((s) => show(s.params[path])),
        y: settings.map((s) => s.valAccuracy.mean),
        text: settings.map((s) => s.setting),
        error_y: { type: "data", array: settings.map((s) => s.valAccuracy.sd), visible: true },
        marker: { size: 11, symbol: "diamond" },
      },
    ],
    layout: {
      title: { text: `Validation accuracy against ${path}` },
      xaxis: { title: { text: path }, ...(logAxis ? { type: "log" } : numeric ? {} : { type: "category" }) },
      yaxis: { title: { text: "validation accuracy" } },
    },
  };
}
