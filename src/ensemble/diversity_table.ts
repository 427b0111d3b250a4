/**
 * The members' diversity as a table (the figure is viz's `diversityFigure`).
 *
 * @module
 */
import type { MemberDiversity } from "../experiment/run_metrics.ts";
import type { Table } from "../viz/table.ts";

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
export function diversityTable(diversity: MemberDiversity): Table & { headers: string[]; cells: string[][] } {
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
