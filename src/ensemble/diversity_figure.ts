/**
 * The members' diversity as a plotly figure and as a table.
 *
 * @module
 */
import type { Figure } from "../viz/figures.ts";
import type { RunFigureOptions } from "../viz/run_figures.ts";
import type { MemberDiversity } from "../experiment/run_metrics.ts";

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
export function diversityFigure(diversity: MemberDiversity, options: RunFigureOptions = {}): Figure {
  const names = diversity.members;
  const label = (z: (number | null)[][]) => z.map((row) => row.map((v) => (v === null ? "n/a" : v.toFixed(2))));
  const heatmap = (z: (number | null)[][], axis: "" | "2", range: [number, number], colorscale: string, x: number) => ({
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

/**
 * One row per pair of members: their accuracies, disagreement and error correlation.
 *
 * @param diversity From `memberDiversity`.
 * @returns Headers and cell text, as `comparisonTable` gives them.
 * @example
 * ```ts
 * const { cells } = diversityTable({ members: ["a", "b"], count: 4, accuracy: [0.75, 0.5], disagreement: [[0, 0.5], [0.5, 0]], errorCorrelation: [[1, null], [null, 1]] });
 * console.assert(cells.length === 1 && cells[0][5] === "n/a");
 * ```
 */
export function diversityTable(diversity: MemberDiversity): { headers: string[]; cells: string[][] } {
  const { members, accuracy, disagreement, errorCorrelation } = diversity;
  const cells: string[][] = [];
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      const r = errorCorrelation[a][b];
      cells.push([members[a], members[b], accuracy[a].toFixed(3), accuracy[b].toFixed(3), disagreement[a][b].toFixed(3), r === null ? "n/a" : r.toFixed(3)]);
    }
  }
  return { headers: ["member a", "member b", "acc a", "acc b", "disagreement", "error correlation"], cells };
}
