/**
 * McNemar's test: do two classifiers, scored on the same images, differ in
 * accuracy? Only the images exactly one of them gets right carry evidence.
 *
 * @module
 */

/** What {@linkcode mcnemarTest} found. */
export interface McNemarResult {
  /** Images both classifiers got right. */
  bothCorrect: number;
  /** Images only the first got right (b in the usual 2x2 table). */
  onlyFirst: number;
  /** Images only the second got right (c). */
  onlySecond: number;
  /** Images both got wrong. */
  bothWrong: number;
  /** Continuity-corrected statistic (|b - c| - 1)^2 / (b + c); 0 when b + c = 0. */
  chiSquare: number;
  /** Its p-value against chi-square with 1 degree of freedom. */
  chiSquarePValue: number;
  /** Two-sided exact p-value: b ~ Binomial(b + c, 1/2) under the null. */
  exactPValue: number;
  /** The p-value to report: exact when b + c < 25, else the chi-square one. */
  pValue: number;
  method: "exact" | "chi_square";
}

/**
 * McNemar's test of equal accuracy for paired predictions.
 *
 * The exact binomial p-value is used when fewer than 25 images are
 * discordant (the chi-square approximation is poor there); both are returned.
 *
 * @param firstCorrect Per image, whether the first classifier was right.
 * @param secondCorrect The same images, in the same order, for the second.
 * @returns Counts, both statistics and the p-value to report.
 * @throws {RangeError} When the two arrays differ in length.
 * @example
 * ```ts
 * // 10 images only the first gets right, 2 only the second: exact p = 0.0386
 * const first = [...Array(10).fill(true), ...Array(2).fill(false)];
 * const result = mcnemarTest(first, first.map((c) => !c));
 * console.assert(result.method === "exact" && Math.abs(result.pValue - 0.03857) < 1e-4);
 * ```
 */
export function mcnemarTest(firstCorrect: readonly boolean[], secondCorrect: readonly boolean[]): McNemarResult {
  if (firstCorrect.length !== secondCorrect.length) {
    throw new RangeError(
      `McNemar's test needs the same images for both classifiers; found ${firstCorrect.length} and ${secondCorrect.length} predictions`,
    );
  }
  let bothCorrect = 0, onlyFirst = 0, onlySecond = 0, bothWrong = 0;
  for (let i = 0; i < firstCorrect.length; i++) {
    if (firstCorrect[i] && secondCorrect[i]) bothCorrect++;
    else if (firstCorrect[i]) onlyFirst++;
    else if (secondCorrect[i]) onlySecond++;
    else bothWrong++;
  }
  const discordant = onlyFirst + onlySecond;
  const chiSquare = discordant === 0 ? 0 : (Math.abs(onlyFirst - onlySecond) - 1) ** 2 / discordant;
  const chiSquarePValue = discordant === 0 ? 1 : chiSquareOneDofSurvival(chiSquare);
  const exactPValue = exactBinomialTwoSided(Math.min(onlyFirst, onlySecond), discordant);
  const method = discordant < 25 ? "exact" : "chi_square";
  return {
    bothCorrect,
    onlyFirst,
    onlySecond,
    bothWrong,
    chiSquare,
    chiSquarePValue,
    exactPValue,
    pValue: method === "exact" ? exactPValue : chiSquarePValue,
    method,
  };
}

/** min(1, 2 P(X <= k)) for X ~ Binomial(n, 1/2), summed in log space so large n does not overflow. */
function exactBinomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  let logChoose = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** P(X > x) for X ~ chi-square with 1 degree of freedom: erfc(sqrt(x / 2)). */
function chiSquareOneDofSurvival(x: number): number {
  return erfc(Math.sqrt(x / 2));
}

/** Complementary error function, fractional error below 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(
    -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
      t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
  );
  return x >= 0 ? r : 2 - r;
}
