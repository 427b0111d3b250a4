/**
 * Stratified k-fold assignment, for cross-validated combiner fitting.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { Rng } from "../core/seed.ts";

/**
 * Assigns each sample to one of `folds` folds so every fold gets about the
 * same share of each class: the samples of each class (classes in index
 * order) are shuffled by `rng` and dealt round-robin, the deal continuing
 * from class to class so fold sizes differ by at most one.
 *
 * @param labels Class index per sample.
 * @param folds Number of folds, in [2, labels.length].
 * @param rng The generator (same seed, same folds).
 * @returns Fold index in [0, folds) per sample.
 * @throws {ConfigError} When `folds` is not a whole number in [2, labels.length].
 * @example
 * ```ts
 * const fold = stratifiedFolds([0, 0, 1, 1], 2, makeRng(0));
 * console.assert(fold[0] !== fold[1] && fold[2] !== fold[3]);
 * ```
 */
export function stratifiedFolds(labels: ArrayLike<number>, folds: number, rng: Rng): number[] {
  if (!Number.isInteger(folds) || folds < 2 || folds > labels.length) {
    throw new ConfigError(
      `Cross-validation folds ${folds} is not a whole number in [2, ${labels.length}] (the validation images); lower fitting.folds`,
    );
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]) ?? [];
    list.push(i);
    byClass.set(labels[i], list);
  }
  const fold = new Array<number>(labels.length).fill(0);
  let next = 0;
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    for (const index of rng.shuffle([...byClass.get(label)!])) {
      fold[index] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}
