/**
 * Plotly figures of a fairness report: accuracy per group with 95%
 * intervals, and recall per group and class.
 *
 * @module
 */
import type { Figure } from "./figures.ts";

/** What the fairness figures read of a fairness report (`runFairness` writes one). */
export interface FairnessFigureData {
  runId: string;
  split: string;
  synthetic: boolean;
  classes: readonly string[];
  overall: { accuracy: number };
  perAttribute: readonly {
    attribute: string;
    groups: readonly {
      group: string;
      count: number;
      accuracy: number;
      /** Wilson 95% interval. */
      accuracyInterval: { low: number; high: number };
      /** Too few images to judge. */
      tooSmall: boolean;
      /** Recall per class; null where the group has no image of the class. */
      recall: Record<string, number | null>;
    }[];
  }[];
}

/**
 * The report's figures, keyed by file name in plots/.
 *
 * @param report The report.
 * @returns `fairness_accuracy` and `fairness_recall`.
 * @example
 * ```ts
 * console.assert("fairness_accuracy" in fairnessFigures(report));
 * ```
 */
export function fairnessFigures(report: FairnessFigureData): Record<string, Figure> {
  const note = report.synthetic ? " (SYNTHETIC data)" : "";
  const rows = report.perAttribute.flatMap((a) => a.groups.map((g) => ({ attribute: a.attribute, ...g })));
  const label = (r: (typeof rows)[number]) => `${r.attribute} = ${r.group}${r.tooSmall ? " (too small)" : ""}`;
  const attributes = report.perAttribute.map((a) => a.attribute);
  return {
    fairness_accuracy: {
      data: attributes.map((attribute) => {
        const mine = rows.filter((r) => r.attribute === attribute);
        return {
          type: "bar",
          orientation: "h",
          name: attribute,
          y: mine.map(label),
          x: mine.map((r) => r.accuracy),
          text: mine.map((r) => `n=${r.count}`),
          textposition: "auto",
          error_x: {
            type: "data",
            symmetric: false,
            array: mine.map((r) => r.accuracyInterval.high - r.accuracy),
            arrayminus: mine.map((r) => r.accuracy - r.accuracyInterval.low),
          },
          opacity: 1,
          marker: { opacity: mine.map((r) => (r.tooSmall ? 0.35 : 1)) },
        };
      }),
      layout: {
        title: { text: `${report.runId} ${report.split}: accuracy per group, 95% intervals (overall ${report.overall.accuracy.toFixed(3)})${note}` },
        xaxis: { title: { text: "accuracy" }, range: [0, 1] },
        yaxis: { autorange: "reversed", automargin: true },
        height: 200 + 24 * rows.length,
        shapes: [{ type: "line", x0: report.overall.accuracy, x1: report.overall.accuracy, yref: "paper", y0: 0, y1: 1, line: { dash: "dot" } }],
      },
    },
    fairness_recall: {
      data: [{
        type: "heatmap",
        x: report.classes,
        y: rows.map(label),
        z: rows.map((r) => report.classes.map((c) => r.recall[c])),
        zmin: 0,
        zmax: 1,
        colorscale: "Viridis",
        text: rows.map((r) => report.classes.map((c) => (r.recall[c] === null ? "" : r.recall[c]!.toFixed(2)))),
        texttemplate: "%{text}",
        colorbar: { title: { text: "recall" } },
      }],
      layout: {
        title: { text: `${report.runId} ${report.split}: recall per group and class${note}` },
        yaxis: { autorange: "reversed", automargin: true },
        height: 200 + 24 * rows.length,
      },
    },
  };
}
