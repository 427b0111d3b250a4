/**
 * Plotly figures of robustness reports: the accuracy heatmap, the curves per
 * family and the accuracy each perturbation costs for one run, and runs side
 * by side per family.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** What the robustness figures read of a robustness report (`runRobustness` writes one). */
export interface RobustnessFigureData {
  runId: string;
  split: string;
  synthetic: boolean;
  clean: { accuracy: number };
  /** Accuracy per perturbation and severity. */
  results: readonly { perturbation: string; family: string; severity: number; accuracy: number }[];
  /** Clean accuracy minus the mean over severities, per perturbation. */
  perPerturbation: readonly { perturbation: string; family: string; accuracyDrop: number }[];
  /** The families measured, in the suite's order (lighting, quality, occlusion, pose). */
  perFamily: readonly { family: string; meanAccuracy: number }[];
}

type ReportFacts = RobustnessFigureData;

/**
 * Every figure of a report, keyed by the file name it is saved under in plots/.
 *
 * @param report The report.
 * @returns `robustness_heatmap`, `robustness_curves` and `robustness_drop`.
 * @example
 * ```ts
 * const figures = robustnessFigures(report);
 * console.assert("robustness_heatmap" in figures);
 * ```
 */
export function robustnessFigures(report: ReportFacts): Record<string, Figure> {
  return {
    robustness_heatmap: robustnessHeatmapFigure(report),
    robustness_curves: robustnessCurvesFigure(report),
    robustness_drop: robustnessDropFigure(report),
  };
}

/**
 * Accuracy per perturbation (rows) and severity (columns, clean first), with the values written in the cells.
 *
 * @param report The report.
 * @returns A heatmap figure.
 * @example
 * ```ts
 * const figure = robustnessHeatmapFigure(report);
 * console.assert(figure.data[0].type === "heatmap");
 * ```
 */
export function robustnessHeatmapFigure(report: ReportFacts): Figure {
  const names = perturbationNames(report);
  const severities = severitiesOf(report);
  const z = names.map((name) => [report.clean.accuracy, ...severities.map((s) => accuracyAt(report, name, s))]);
  return {
    data: [{
      type: "heatmap",
      x: ["clean", ...severities.map(String)],
      y: names,
      z,
      zmin: 0,
      zmax: 1,
      colorscale: "Viridis",
      text: z.map((row) => row.map((v) => (Number.isNaN(v) ? "" : v.toFixed(2)))),
      texttemplate: "%{text}",
      colorbar: { title: { text: "accuracy" } },
    }],
    layout: {
      title: { text: title(report, "accuracy per perturbation and severity") },
      xaxis: { title: { text: "severity" }, type: "category" },
      yaxis: { autorange: "reversed", automargin: true },
      height: 160 + 22 * names.length,
    },
  };
}

/**
 * Accuracy against severity (0 = clean), one line per perturbation, one panel per family.
 *
 * @param report The report.
 * @returns A 2x2 grid of line plots.
 * @example
 * ```ts
 * const figure = robustnessCurvesFigure(report);
 * console.assert(figure.layout.grid !== undefined);
 * ```
 */
export function robustnessCurvesFigure(report: ReportFacts): Figure {
  const severities = severitiesOf(report);
  const families = report.perFamily.map((f) => f.family);
  const data = families.flatMap((family, panel) => {
    const axis = panel === 0 ? "" : String(panel + 1);
    return perturbationNames(report).filter((name) => report.results.some((r) => r.perturbation === name && r.family === family)).map((name) => ({
      type: "scatter",
      mode: "lines+markers",
      name,
      legendgroup: family,
      x: [0, ...severities],
      y: [report.clean.accuracy, ...severities.map((s) => accuracyAt(report, name, s))],
      xaxis: `x${axis}`,
      yaxis: `y${axis}`,
    }));
  });
  const layout: Record<string, unknown> = {
    title: { text: title(report, "accuracy against severity, per family") },
    grid: { rows: 2, columns: 2, pattern: "independent" },
    height: 700,
    annotations: families.map((family, panel) => ({
      text: family,
      showarrow: false,
      xref: `x${panel === 0 ? "" : panel + 1} domain`,
      yref: `y${panel === 0 ? "" : panel + 1} domain`,
      x: 0.5,
      y: 1.08,
    })),
  };
  families.forEach((_, panel) => {
    const suffix = panel === 0 ? "" : String(panel + 1);
    layout[`xaxis${suffix}`] = { title: { text: "severity" }, dtick: 1 };
    layout[`yaxis${suffix}`] = { title: { text: "accuracy" }, range: [0, 1] };
  });
  return { data, layout };
}

/**
 * What each perturbation costs: clean accuracy minus its mean accuracy over severities, largest first.
 *
 * @param report The report.
 * @returns A horizontal bar chart.
 * @example
 * ```ts
 * const figure = robustnessDropFigure(report);
 * console.assert(figure.data[0].orientation === "h");
 * ```
 */
export function robustnessDropFigure(report: ReportFacts): Figure {
  const rows = [...report.perPerturbation].sort((a, b) => b.accuracyDrop - a.accuracyDrop);
  return {
    data: [{
      type: "bar",
      orientation: "h",
      x: rows.map((r) => r.accuracyDrop),
      y: rows.map((r) => r.perturbation),
      text: rows.map((r) => `${r.family}, ${r.accuracyDrop.toFixed(3)}`),
      textposition: "auto",
    }],
    layout: {
      title: { text: title(report, "accuracy lost per perturbation (mean over severities 1-5)") },
      xaxis: { title: { text: "clean accuracy - mean perturbed accuracy" } },
      yaxis: { autorange: "reversed", automargin: true },
      height: 160 + 22 * rows.length,
    },
  };
}

function perturbationNames(report: ReportFacts): string[] {
  return [...new Set(report.results.map((r) => r.perturbation))];
}

function severitiesOf(report: ReportFacts): number[] {
  return [...new Set(report.results.map((r) => r.severity))].sort((a, b) => a - b);
}

function accuracyAt(report: ReportFacts, name: string, severity: number): number {
  return report.results.find((r) => r.perturbation === name && r.severity === severity)?.accuracy ?? NaN;
}

function title(report: ReportFacts, text: string): string {
  return `${report.runId} ${report.split}: ${text}${report.synthetic ? " (SYNTHETIC data)" : ""}`;
}

/**
 * Mean accuracy per family (and clean), one bar group per family and one bar per run.
 *
 * @param reports The runs' reports.
 * @param options `families`: the bar groups after "clean", in order (a run without one has no bar there).
 *   @default every family of the reports, in their order
 * @returns A grouped bar chart.
 * @example
 * ```ts
 * const figure = robustnessComparisonFigure(reports);
 * console.assert(figure.layout.barmode === "group");
 * ```
 */
export function robustnessComparisonFigure(
  reports: readonly Pick<RobustnessFigureData, "runId" | "synthetic" | "clean" | "perFamily">[],
  options: { families?: readonly string[] } = {},
): Figure {
  const families = options.families ?? [...new Set(reports.flatMap((r) => r.perFamily.map((f) => f.family)))];
  return {
    data: reports.map((r) => ({
      type: "bar",
      name: r.runId,
      x: ["clean", ...families],
      y: [r.clean.accuracy, ...families.map((family) => r.perFamily.find((x) => x.family === family)?.meanAccuracy ?? null)],
    })),
    layout: {
      title: { text: `Accuracy under perturbations (mean over severities 1-5)${reports.some((r) => r.synthetic) ? " (SYNTHETIC data)" : ""}` },
      barmode: "group",
      yaxis: { title: { text: "accuracy" }, range: [0, 1] },
    },
  };
}
