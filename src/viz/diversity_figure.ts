/**
 * An ensemble's member diversity as a plotly figure.
 *
 * @module
 */
import type { Figure } from "./figures.ts";
import type { RunFigureOptions } from "./run_figures.ts";

/** What the figure reads of a member diversity (`memberDiversity` gives it). */
export interface DiversityFigureData {
  /** Member names, in matrix order. */
  members: readonly string[];
  /** Images compared. */
  count: number;
  /** Share of images on which two members predict different classes. */
  disagreement: readonly (readonly number[])[];
  /** Correlation of two members' errors; null where a member has no error variance. */
  errorCorrelation: readonly (readonly (number | null)[])[];
}

/**
 * Two heatmaps side by side, members down and across: pairwise disagreement
 * (left, 0 to 1) and error correlation (right, -1 to 1; blank where a member
 * has no error variance). Each cell is labelled with its value.
 *
 * @param diversity From `memberDiversity`.
 * @param options Title prefix and synthetic flag, as the run figures take them.
 * @returns The figure.
 * @example
 * ```ts
 * const figure = diversityFigure({ members: ["a", "b"], count: 4, accuracy: [0.75, 0.75], disagreement: [[0, 0.5], [0.5, 0]], errorCorrelation: [[1, -0.33], [-0.33, 1]] });
 * console.assert(figure.data.length === 2);
 * ```
 */
export function diversityFigure(diversity: DiversityFigureData, options: RunFigureOptions = {}): Figure {
  const names = [...diversity.members];
  const label = (z: readonly (readonly (number | null)[])[]) => z.map((row) => row.map((v) => (v === null ? "n/a" : v.toFixed(2))));
  const heatmap = (z: readonly (readonly (number | null)[])[], axis: "" | "2", range: [number, number], colorscale: string, x: number) => ({
    type: "heatmap",
    z,
    x: names,
    y: names,
    text: label(z),
    texttemplate: "%{text}",
    hovertemplate: "%{y} vs %{x}: %{text}<extra></extra>",
    xaxis: `x${axis}`,
    yaxis: `y${axis}`,
    zmin: range[0],
    zmax: range[1],
    colorscale,
    colorbar: { x, len: 0.9 },
  });
  const prefix = options.title ? `${options.title}: ` : "";
  return {
    data: [
      heatmap(diversity.disagreement, "", [0, 1], "Blues", 0.44),
      heatmap(diversity.errorCorrelation, "2", [-1, 1], "RdBu", 1.0),
    ],
    layout: {
      title: { text: `${prefix}member diversity on ${diversity.count} validation images${options.synthetic ? " (SYNTHETIC data)" : ""}` },
      xaxis: { domain: [0, 0.4], title: { text: "disagreement" } },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis2: { domain: [0.56, 0.96], title: { text: "error correlation" } },
      yaxis2: { anchor: "x2", autorange: "reversed", automargin: true },
      width: 980,
      height: Math.max(380, 160 + 50 * names.length),
    },
  };
}
