/**
 * The log-linear pool: a weighted geometric mean of the members'
 * probabilities with one bias per class,
 * `p(c) ∝ exp(b_c + Σ_m w_m · log p_m(c))`, fitted on validation by
 * log-loss (a logarithmic opinion pool, Genest and Zidek 1986).
 *
 * It sits between the weighted soft vote (one weight per member, a mean of
 * probabilities) and stacking (a full logistic regression on every member's
 * log-probabilities: members x classes x classes weights). A member's weight
 * is also its temperature (above 1 sharpens it, below 1 softens it), and the
 * biases correct the class priors that class weighting moved in training. It
 * has `members + classes` parameters, so a fourth or fifth member costs it
 * one more, not `classes²` more: on FER-2013's seven classes, with four
 * members and 3,589 validation images, stacking lost to three members and
 * the pool did not (README, 7-class ablation).
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { checkClassLabels, crossEntropy, LOG_FLOOR, softmax } from "./_combiner_math.ts";
import { newtonMinimize } from "./_newton_minimize.ts";
import { BIAS_L2 } from "./fit_logistic_regression.ts";
import { checkShapes, type ProbabilityRows } from "./soft_vote.ts";

/** A fitted log-linear pool. */
export interface LogLinearPool {
  /** One weight per member: the exponent of its probabilities, not constrained to sum to 1 or to be positive (a negative weight discounts a member's view). */
  weights: number[];
  /** One bias per class (added to the pooled log-probabilities). */
  bias: number[];
  /** The L2 coefficient the weights were fitted with. */
  l2: number;
  /** Mean negative log-probability of the true class on the fitting images, at the fit. */
  logLoss: number;
  /** Newton steps taken. */
  iterations: number;
}

/** Options of {@linkcode fitLogLinearPool}. */
export interface FitLogLinearPoolOptions {
  /** L2 coefficient on the member weights (the objective adds `l2 / 2 * ||w||²`); must be > 0. @default 1e-3 */
  l2?: number;
  /** Most Newton steps. @default 100 */
  maxIterations?: number;
  /** Stop when every gradient component is below this. @default 1e-9 */
  tolerance?: number;
}

/**
 * Combines the members' rows with a fitted pool.
 *
 * @param pool The weights and biases.
 * @param members Each member's probability rows on the same images, in member order.
 * @returns The pooled probability rows.
 * @throws {ConfigError} When the shapes differ, or the pool has another number of members or classes.
 * @example
 * ```ts
 * // Equal weights of 1/2 and no bias: the normalised geometric mean.
 * const [row] = logLinearPool({ weights: [0.5, 0.5], bias: [0, 0], l2: 1e-3, logLoss: 0, iterations: 0 }, [[[0.9, 0.1]], [[0.1, 0.9]]]);
 * console.assert(Math.abs(row[0] - 0.5) < 1e-12);
 * ```
 */
export function logLinearPool(pool: LogLinearPool, members: readonly ProbabilityRows[]): number[][] {
  const [first] = checkShapes(members);
  const classes = first[0]?.length ?? 0;
  if (pool.weights.length !== members.length || pool.bias.length !== classes) {
    throw new ConfigError(
      `The log-linear pool was fitted for ${pool.weights.length} members of ${pool.bias.length} classes; it was given ${members.length} of ${classes}: ` +
        "refit the ensemble (deno task fer run <its config>)",
    );
  }
  const logs = logProbabilities(members);
  return first.map((_, i) => softmax(pooledScores(pool.weights, pool.bias, logs, i)));
}

/**
 * Fits the pool's weights and biases by minimising the mean log-loss on the
 * given images plus `l2 / 2 * ||w||²` (and a vanishing penalty on the biases,
 * as stacking's), with Newton steps and a backtracking line search. The
 * objective is convex; it starts from the plain geometric mean (every weight
 * `1 / members`, no bias), so the fit is deterministic.
 *
 * @param members Each member's probability rows on the fitting images.
 * @param labels True class per image (validation labels: never test ones).
 * @param options See {@linkcode FitLogLinearPoolOptions}.
 * @returns The fitted pool.
 * @throws {ConfigError} When the shapes or the label count disagree, a label is out of range, or l2 is not above 0.
 * @example
 * ```ts
 * // Member 0 is right, member 1 is always wrong: member 0 gets the larger weight.
 * const right = [[0.8, 0.2], [0.3, 0.7]], wrong = [[0.3, 0.7], [0.8, 0.2]];
 * const pool = fitLogLinearPool([right, wrong], [0, 1]);
 * console.assert(pool.weights[0] > pool.weights[1]);
 * ```
 */
export function fitLogLinearPool(
  members: readonly ProbabilityRows[],
  labels: ArrayLike<number>,
  options: FitLogLinearPoolOptions = {},
): LogLinearPool {
  const [first] = checkShapes(members);
  const n = first.length, classes = first[0]?.length ?? 0, count = members.length;
  const l2 = options.l2 ?? 1e-3;
  if (labels.length !== n) {
    throw new ConfigError(`The log-linear pool got ${labels.length} labels for ${n} probability rows; they must match`);
  }
  if (!(l2 > 0)) throw new ConfigError(`The log-linear pool's l2 ${l2} must be above 0 (fitting.l2)`);
  checkClassLabels(labels, classes);
  const logs = logProbabilities(members);
  // Parameters: the member weights, then the class biases.
  const size = count + classes;
  const penalty = Float64Array.from({ length: size }, (_, k) => (k < count ? l2 : BIAS_L2));
  const split = (theta: Float64Array) => ({ weights: Array.from(theta.subarray(0, count)), bias: Array.from(theta.subarray(count)) });
  const objective = (theta: Float64Array) => {
    const { weights, bias } = split(theta);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += crossEntropy(pooledScores(weights, bias, logs, i), labels[i]);
    return sum / Math.max(1, n) + theta.reduce((s, v, k) => s + 0.5 * penalty[k] * v * v, 0);
  };
  const derivatives = (theta: Float64Array) => {
    const { weights, bias } = split(theta);
    const gradient = theta.map((v, k) => penalty[k] * v);
    const hessian = new Float64Array(size * size);
    for (let k = 0; k < size; k++) hessian[k * size + k] = penalty[k];
    const feature = new Float64Array(size), expected = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      const p = softmax(pooledScores(weights, bias, logs, i));
      // The score of class c is linear in the parameters: x(c) = (log p_1(c), ..., log p_M(c), one-hot c).
      // Gradient: E_p[x] - x(label); Hessian: Cov_p[x] (then both divided by n).
      expected.fill(0);
      for (let c = 0; c < classes; c++) {
        for (let m = 0; m < count; m++) expected[m] += p[c] * logs[m][i][c];
        expected[count + c] += p[c];
      }
      for (let m = 0; m < count; m++) gradient[m] += (expected[m] - logs[m][i][labels[i]]) / n;
      for (let c = 0; c < classes; c++) gradient[count + c] += (expected[count + c] - (labels[i] === c ? 1 : 0)) / n;
      for (let c = 0; c < classes; c++) {
        for (let m = 0; m < count; m++) feature[m] = logs[m][i][c] - expected[m];
        for (let d = 0; d < classes; d++) feature[count + d] = (d === c ? 1 : 0) - expected[count + d];
        const weight = p[c] / n;
        for (let a = 0; a < size; a++) {
          const fa = weight * feature[a];
          for (let b = 0; b <= a; b++) hessian[a * size + b] += fa * feature[b];
        }
      }
    }
    return { gradient, hessian };
  };
  // From the plain geometric mean: every weight 1 / members, no bias.
  const start = new Float64Array(size).fill(1 / count, 0, count);
  const { theta, value, iterations } = newtonMinimize(start, objective, derivatives, {
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 1e-9,
  });
  const { weights, bias } = split(theta);
  const logLoss = value - theta.reduce((s, v, k) => s + 0.5 * penalty[k] * v * v, 0);
  return { weights, bias, l2, logLoss, iterations };
}

/** Each member's rows as logarithms, floored at {@linkcode LOG_FLOOR}. */
function logProbabilities(members: readonly ProbabilityRows[]): Float64Array[][] {
  return members.map((member) => member.map((row) => Float64Array.from(row, (p) => Math.log(Math.max(p, LOG_FLOOR)))));
}

/** The pooled score of every class for image `i`: `b_c + Σ_m w_m · log p_m(c)`. */
function pooledScores(weights: readonly number[], bias: readonly number[], logs: readonly Float64Array[][], i: number): number[] {
  return bias.map((b, c) => weights.reduce((s, w, m) => s + w * logs[m][i][c], b));
}
