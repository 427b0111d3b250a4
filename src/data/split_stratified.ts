/**
 * Holds out a seeded, per-class share of a labelled set.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import type { Rng } from "../core/seed.ts";

/** The two parts of {@linkcode splitStratified}, as positions into the labels. */
export interface StratifiedSplit {
  /** Positions kept for training, ascending. */
  trainIndices: number[];
  /** Positions held out for validation, ascending. */
  validationIndices: number[];
}

/**
 * Splits positions `0..labels.length-1` so that each class sends the same
 * share to validation.
 *
 * For each class in ascending label order, its positions are shuffled with
 * `rng` and the first `round(fraction * n)` go to validation, clamped so that
 * a class with at least two images has at least one in validation and at
 * least one in training. A class with a single image stays in training.
 * The same labels, fraction and generator state give the same split.
 *
 * @param labels Class index per image.
 * @param fraction Share held out per class, in (0, 1).
 * @param rng The generator; it advances.
 * @returns Disjoint ascending index lists that together cover every position.
 * @throws {ConfigError} When `fraction` is not in (0, 1).
 * @example
 * ```ts
 * const { trainIndices, validationIndices } = splitStratified([0, 0, 0, 0, 1, 1], 0.25, makeRng(1));
 * console.assert(validationIndices.length === 2 && trainIndices.length === 4);
 * ```
 */
export function splitStratified(labels: ArrayLike<number>, fraction: number, rng: Rng): StratifiedSplit {
  if (!(fraction > 0 && fraction < 1)) {
    throw new ConfigError(
      `Validation fraction ${fraction} is not between 0 and 1 (exclusive); use a share such as 0.15`,
    );
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const validation: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const positions = rng.shuffle(byClass.get(label)!);
    const n = positions.length;
    const take = n < 2 ? 0 : Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
    for (let k = 0; k < take; k++) validation.push(positions[k]);
  }
  validation.sort((a, b) => a - b);
  const held = new Uint8Array(labels.length);
  for (const i of validation) held[i] = 1;
  const trainIndices: number[] = [];
  for (let i = 0; i < labels.length; i++) if (!held[i]) trainIndices.push(i);
  return { trainIndices, validationIndices: validation };
}
