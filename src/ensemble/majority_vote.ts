/**
 * Majority voting over the members' predicted classes.
 *
 * @module
 */
import { argMax } from "../eval/arg_max.ts";
import { checkShapes, type ProbabilityRows } from "./soft_vote.ts";

/**
 * Each member votes for its arg-max class; the class with most votes wins,
 * and a tie is broken by the members' summed probability of the tied classes
 * (then by the lower class index).
 *
 * The returned row is a probability row whose arg-max is that winner: the
 * vote share blended with the soft vote at weight `1 / (M + 2)` for M
 * members. The blend can never reorder classes with different vote counts (a
 * vote is worth `(1 - λ) / M` > λ, the most the soft vote can move a class),
 * so among tied classes the summed probability decides, as specified.
 *
 * @param members One probability row per image, per member.
 * @returns One row per image.
 * @example
 * ```ts
 * // Two members disagree (1 vote each); member 2 is surer, so class 1 wins.
 * const [row] = majorityVote([[[0.6, 0.4]], [[0.1, 0.9]]]);
 * console.assert(row[1] > row[0]);
 * ```
 */
export function majorityVote(members: readonly ProbabilityRows[]): number[][] {
  checkShapes(members);
  const count = members.length;
  const blend = 1 / (count + 2);
  return members[0].map((first, i) => {
    const votes = new Array<number>(first.length).fill(0);
    const summed = new Array<number>(first.length).fill(0);
    for (const member of members) {
      votes[argMax(member[i])]++;
      for (let c = 0; c < first.length; c++) summed[c] += member[i][c];
    }
    return votes.map((v, c) => ((1 - blend) * v + blend * summed[c]) / count);
  });
}
