/**
 * Multinomial logistic regression with L2, fitted by Newton's method: the
 * stacking meta-learner.
 *
 * @module
 */
import { ConfigError } from "../core/errors.ts";
import { checkClassLabels, crossEntropy, softmax } from "./_combiner_math.ts";
import { newtonMinimize } from "./_newton_minimize.ts";

/** A fitted multinomial logistic regression: `p = softmax(W x + b)`. */
export interface LogisticModel {
  /** `weights[c][j]`: weight of feature j for class c. */
  weights: number[][];
  /** One intercept per class. */
  bias: number[];
  /** L2 coefficient the weights were fitted with. */
  l2: number;
  /** Newton steps taken. */
  iterations: number;
  /** The objective (mean cross-entropy + penalty) at the solution. */
  objective: number;
}

/** Options of {@linkcode fitLogisticRegression}. */
export interface FitLogisticOptions {
  /** Number of classes (labels are in [0, numClasses)). */
  numClasses: number;
  /** L2 coefficient on the weights (the objective adds `l2 / 2 * ||W||²`); must be > 0. @default 1e-3 */
  l2?: number;
  /** Most Newton steps. @default 100 */
  maxIterations?: number;
  /** Stop when every gradient component is below this. @default 1e-9 */
  tolerance?: number;
}

/**
 * A fixed, tiny penalty on the intercepts: it keeps them finite when a
 * cross-validation fold holds no image of some class, and changes nothing
 * measurable otherwise.
 */
export const BIAS_L2 = 1e-6;

/**
 * Fits `softmax(W x + b)` by minimising mean cross-entropy plus
 * `l2 / 2 * ||W||² + BIAS_L2 / 2 * ||b||²`, with Newton steps (full Hessian,
 * Cholesky solve) and a backtracking line search, from all-zero parameters.
 * The objective is strictly convex, so the result is its unique minimum and
 * the fit is deterministic.
 *
 * @param features One feature row per sample, all of the same length.
 * @param labels Class per sample.
 * @param options See {@linkcode FitLogisticOptions}.
 * @returns The model.
 * @throws {ConfigError} When the rows or labels disagree, a label is out of range, or l2 is not above 0.
 * @example
 * ```ts
 * // One binary feature; nearly unregularised, the fit gives each group's class frequency.
 * const model = fitLogisticRegression([[0], [0], [0], [1], [1]], [0, 0, 1, 1, 1], { numClasses: 2, l2: 1e-9 });
 * console.assert(Math.abs(logisticProbabilities(model, [[0]])[0][1] - 1 / 3) < 1e-4);
 * ```
 */
export function fitLogisticRegression(
  features: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: FitLogisticOptions,
): LogisticModel {
  const classes = options.numClasses, n = features.length, dims = features[0]?.length ?? 0;
  const l2 = options.l2 ?? 1e-3;
  checkInputs(features, labels, classes, l2);
  const width = dims + 1, size = classes * width;
  const x = features.map((row) => Float64Array.from({ length: width }, (_, j) => (j < dims ? row[j] : 1)));
  const penalty = Float64Array.from({ length: size }, (_, k) => (k % width === dims ? BIAS_L2 : l2));
  const probabilities = (parameters: Float64Array) => x.map((row) => softmax(logits(parameters, row, classes)));
  const objective = (parameters: Float64Array) => {
    let sum = 0;
    x.forEach((row, i) => (sum += crossEntropy(logits(parameters, row, classes), labels[i])));
    return sum / n + parameters.reduce((s, v, k) => s + 0.5 * penalty[k] * v * v, 0);
  };
  const derivatives = (parameters: Float64Array) => {
    const p = probabilities(parameters);
    const gradient = parameters.map((v, k) => penalty[k] * v);
    const hessian = new Float64Array(size * size);
    for (let k = 0; k < size; k++) hessian[k * size + k] = penalty[k];
    x.forEach((row, i) => {
      for (let c = 0; c < classes; c++) {
        const residual = (p[i][c] - (labels[i] === c ? 1 : 0)) / n;
        for (let j = 0; j < width; j++) gradient[c * width + j] += residual * row[j];
        for (let d = 0; d <= c; d++) {
          const s = (p[i][c] * ((c === d ? 1 : 0) - p[i][d])) / n;
          for (let j = 0; j < width; j++) {
            const sj = s * row[j], base = (c * width + j) * size + d * width;
            for (let k = 0; k < width; k++) hessian[base + k] += sj * row[k];
          }
        }
      }
    });
    return { gradient, hessian };
  };
  const { theta, value, iterations } = newtonMinimize(new Float64Array(size), objective, derivatives, {
    maxIterations: options.maxIterations ?? 100,
    tolerance: options.tolerance ?? 1e-9,
  });
  return {
    weights: Array.from({ length: classes }, (_, c) => Array.from(theta.subarray(c * width, c * width + dims))),
    bias: Array.from({ length: classes }, (_, c) => theta[c * width + dims]),
    l2,
    iterations,
    objective: value,
  };
}

/**
 * Class probabilities of a fitted model.
 *
 * @param model From {@linkcode fitLogisticRegression}.
 * @param features One row per sample, as in fitting.
 * @returns One probability row per sample.
 * @example
 * ```ts
 * const [row] = logisticProbabilities({ weights: [[0], [0]], bias: [0, 0], l2: 1, iterations: 0, objective: 0 }, [[5]]);
 * console.assert(row[0] === 0.5);
 * ```
 */
export function logisticProbabilities(model: LogisticModel, features: readonly ArrayLike<number>[]): number[][] {
  return features.map((row) => Array.from(softmax(model.weights.map((w, c) => w.reduce((s, v, j) => s + v * row[j], model.bias[c])))));
}

function logits(theta: Float64Array, row: Float64Array, classes: number): number[] {
  const width = row.length;
  return Array.from({ length: classes }, (_, c) => {
    let z = 0;
    for (let j = 0; j < width; j++) z += theta[c * width + j] * row[j];
    return z;
  });
}

function checkInputs(features: readonly ArrayLike<number>[], labels: ArrayLike<number>, classes: number, l2: number): void {
  const dims = features[0]?.length ?? 0;
  if (features.length === 0 || features.length !== labels.length || features.some((row) => row.length !== dims)) {
    throw new ConfigError(
      `Logistic regression got ${features.length} feature rows and ${labels.length} labels; pass one row of ${dims} features per label`,
    );
  }
  checkClassLabels(labels, classes);
  if (!(l2 > 0)) throw new ConfigError(`Stacking l2 is ${l2}; it must be above 0 (member probabilities are collinear), e.g. 0.001`);
}
