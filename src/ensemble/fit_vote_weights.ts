/**
 * Weights for soft voting, fitted by minimising log-loss on validation.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { checkShapes, type ProbabilityRows } from "./soft_vote.ts";
import { checkClassLabels, softmax } from "./_combiner_math.ts";

/** Options of {@linkcode fitVoteWeights}. */
export interface FitVoteWeightsOptions {
  /** Most gradient steps. @default 1000 */
  maxIterations?: number;
  /** Stop when every gradient component is below this. @default 1e-10 */
  tolerance?: number;
}

/** What {@linkcode fitVoteWeights} returns. */
export interface VoteWeightsFit {
  /** One weight per member: non-negative, summing to 1. */
  weights: number[];
  /** Mean negative log-probability of the true class under the weighted mean, at the weights. */
  logLoss: number;
  /** Gradient steps taken. */
  iterations: number;
  /** Log-loss before each step and after the last one (the fit trace). */
  trace: number[];
}

const FLOOR = 1e-15;

/**
 * Finds the weights on the simplex that minimise the log-loss of the
 * weighted mean of the members' probabilities. The weights are the softmax
 * of free parameters, which start at 0 (equal weights) and follow gradient
 * descent with a backtracking (Armijo) step, so the fit is deterministic.
 * The objective is convex in the weights, so this finds its minimum; a
 * member that never helps has its weight driven towards 0.
 *
 * @param members Each member's probability rows on the fitting images.
 * @param labels True class per image (validation labels: never test ones).
 * @param options See {@linkcode FitVoteWeightsOptions}.
 * @returns The weights, the final log-loss and the trace.
 * @throws {ConfigError} When the shapes differ or the label count does not match.
 * @example
 * ```ts
 * // True-class probabilities: member A 0.8, 0.2, 0.5; member B 0.2, 0.6, 0.5. The optimum is w_A = 7/12.
 * const a = [[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]], b = [[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]];
 * const fit = fitVoteWeights([a, b], [0, 0, 0]);
 * console.assert(Math.abs(fit.weights[0] - 7 / 12) < 1e-6);
 * ```
 */
export function fitVoteWeights(
  members: readonly ProbabilityRows[],
  labels: ArrayLike<number>,
  options: FitVoteWeightsOptions = {},
): VoteWeightsFit {
  checkShapes(members);
  if (labels.length !== members[0].length) {
    throw new ConfigError(`Weight fitting got ${labels.length} labels for ${members[0].length} probability rows; they must match`);
  }
  checkClassLabels(labels, members[0][0]?.length ?? 0);
  const count = members.length, n = labels.length;
  // The only thing the objective needs: each member's probability of the true class.
  const truth = members.map((member) => Float64Array.from({ length: n }, (_, i) => member[i][labels[i]]));
  const theta = new Float64Array(count);
  const loss = (parameters: Float64Array) => {
    const w = softmax(parameters);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let m = 0; m < count; m++) q += w[m] * truth[m][i];
      sum -= Math.log(Math.max(q, FLOOR));
    }
    return sum / Math.max(1, n);
  };
  const gradient = (parameters: Float64Array) => {
    const w = softmax(parameters);
    const g = new Float64Array(count);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let m = 0; m < count; m++) q += w[m] * truth[m][i];
      const inverse = 1 / Math.max(q, FLOOR);
      for (let m = 0; m < count; m++) g[m] -= truth[m][i] * inverse / n;
    }
    const mean = g.reduce((s, v, m) => s + w[m] * v, 0);
    return g.map((v, m) => w[m] * (v - mean));
  };
  const maxIterations = options.maxIterations ?? 1000, tolerance = options.tolerance ?? 1e-10;
  const trace = [loss(theta)];
  let step = 1, iterations = 0;
  while (iterations < maxIterations && count > 1) {
    const g = gradient(theta);
    const squared = g.reduce((s, v) => s + v * v, 0);
    if (Math.max(...g.map(Math.abs)) < tolerance) break;
    const current = trace[trace.length - 1];
    let accepted = false;
    for (; step > 1e-12; step /= 2) {
      const candidate = theta.map((v, m) => v - step * g[m]);
      const value = loss(candidate);
      if (value <= current - 1e-4 * step * squared) {
        theta.set(candidate);
        trace.push(value);
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
    iterations++;
    step *= 2;
  }
  return { weights: Array.from(softmax(theta)), logLoss: trace[trace.length - 1], iterations, trace };
}
