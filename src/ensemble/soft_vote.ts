/**
 * Soft voting: the (weighted) mean of the members' class probabilities.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";

/** Class probabilities of one model: one row per image, one column per class. */
export type ProbabilityRows = readonly ArrayLike<number>[];

/**
 * Averages the members' probability rows image by image, with equal weights
 * or the given ones (non-negative, summing to 1).
 *
 * @param members One {@linkcode ProbabilityRows} per member, all of the same shape.
 * @param weights One weight per member. @default equal weights
 * @returns The combined rows, as new arrays.
 * @throws {ConfigError} When there is no member, the shapes differ, or the weights are not on the simplex.
 * @example
 * ```ts
 * const rows = softVote([[[0.8, 0.2]], [[0.4, 0.6]]]);
 * console.assert(Math.abs(rows[0][0] - 0.6) < 1e-12);
 * ```
 */
export function softVote(members: readonly ProbabilityRows[], weights?: readonly number[]): number[][] {
  const [first] = checkShapes(members);
  const w = weights ?? members.map(() => 1 / members.length);
  if (w.length !== members.length || w.some((v) => !(v >= 0)) || Math.abs(w.reduce((a, b) => a + b, 0) - 1) > 1e-9) {
    throw new ConfigError(
      `Soft-vote weights [${w.join(", ")}] are not ${members.length} non-negative numbers summing to 1; pass one weight per member`,
    );
  }
  return first.map((row, i) => {
    const out = new Array<number>(row.length).fill(0);
    members.forEach((member, m) => {
      for (let c = 0; c < out.length; c++) out[c] += w[m] * member[i][c];
    });
    return out;
  });
}

/**
 * Checks that every member has the same number of images and classes.
 *
 * @param members Probability rows per member.
 * @returns The members, unchanged.
 * @throws {ConfigError} When there is no member or two shapes differ.
 * @example
 * ```ts
 * checkShapes([[[1, 0]], [[0, 1]]]);
 * ```
 */
export function checkShapes(members: readonly ProbabilityRows[]): readonly ProbabilityRows[] {
  if (members.length === 0) throw new ConfigError("An ensemble needs at least one member; list member runs or configs in members");
  const images = members[0].length, classes = members[0][0]?.length ?? 0;
  members.forEach((member, m) => {
    if (member.length !== images || member.some((row) => row.length !== classes)) {
      throw new ConfigError(
        `Member ${m} has ${member.length} probability rows of ${member[0]?.length ?? 0} classes; member 0 has ${images} of ${classes}: ` +
          "every member must be evaluated on the same images with the same classes",
      );
    }
  });
  return members;
}
