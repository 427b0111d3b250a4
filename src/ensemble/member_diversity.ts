/**
 * How differently ensemble members err: pairwise disagreement and error correlation.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { argMax } from "../eval/arg_max.ts";
import type { MemberDiversity } from "../experiment/run_metrics.ts";
import { checkShapes, type ProbabilityRows } from "./soft_vote.ts";

/**
 * Measures the members' diversity. Low disagreement and high error
 * correlation mean the members make the same mistakes, so combining them
 * gains little.
 *
 * @param members Each member's probability rows on the same images.
 * @param labels True class per image.
 * @param options `names`: one per member. @default "member 0", "member 1", ...
 * @returns The diversity matrices.
 * @throws {ConfigError} When the shapes, labels or names do not match.
 * @example
 * ```ts
 * // Predictions A = 0,1,1,0 and B = 0,1,0,1 for labels 0,1,1,1: they disagree on half the images.
 * const d = memberDiversity(
 *   [[[1, 0], [0, 1], [0, 1], [1, 0]], [[1, 0], [0, 1], [1, 0], [0, 1]]], [0, 1, 1, 1], { names: ["A", "B"] },
 * );
 * console.assert(d.disagreement[0][1] === 0.5 && Math.abs(d.errorCorrelation[0][1]! + 1 / 3) < 1e-12);
 * ```
 */
export function memberDiversity(
  members: readonly ProbabilityRows[],
  labels: ArrayLike<number>,
  options: { names?: readonly string[] } = {},
): MemberDiversity {
  checkShapes(members);
  const names = options.names ? [...options.names] : members.map((_, m) => `member ${m}`);
  if (labels.length !== members[0].length || names.length !== members.length) {
    throw new ConfigError(
      `Diversity got ${labels.length} labels and ${names.length} names for ${members.length} members of ${members[0].length} images; ` +
        "pass one label per image and one name per member",
    );
  }
  const n = labels.length;
  const predicted = members.map((member) => member.map((row) => argMax(row)));
  const errors = predicted.map((p) => p.map((c, i): number => (c === labels[i] ? 0 : 1)));
  const pairs = <T>(value: (a: number, b: number) => T) => members.map((_, a) => members.map((_, b) => value(a, b)));
  return {
    members: names,
    count: n,
    accuracy: errors.map((e) => (n === 0 ? 0 : 1 - e.reduce((s, v) => s + v, 0) / n)),
    disagreement: pairs((a, b) => (n === 0 ? 0 : predicted[a].filter((c, i) => c !== predicted[b][i]).length / n)),
    errorCorrelation: pairs((a, b) => pearson(errors[a], errors[b])),
  };
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n === 0) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}
