/**
 * Plotly figures of a robustness report: the accuracy heatmap, the curves per
 * family, and the accuracy each perturbation costs.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import { PERTURBATION_FAMILIES } from "./perturbation.ts";
import type { RobustnessReport } from "./robustness_report.ts";

type ReportFacts = Pick<RobustnessReport, "runId" | "split" | "synthetic" | "clean" | "results" | "perPerturbation">;

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
  const families = PERTURBATION_FAMILIES.filter((family) => report.results.some((r) => r.family === family));
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
